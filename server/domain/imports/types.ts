import type { BinKind, ImportKind } from '../../db/generated/enums';

/** Why a row was rejected: its line in the file, the column at fault (if one) and its value. */
export interface RowError {
  line: number;
  column: string | null;
  value: string | null;
  reason: string;
}

/** One data row's cells by known column name, trimmed; a column the file lacks reads "". */
export interface Cells {
  line: number;
  get(column: string): string;
}

export interface OrderRow {
  line: number;
  orderRef: string;
  site: string;
  customer: string;
  shipTo: string;
  releasedAt: string;
  lineNo: number;
  sku: string;
  quantity: string;
  uom: string;
  unitPrice: string;
  currency: string | null;
  poNumber: string | null;
  requestedDate: string | null;
}

export interface InventoryRow {
  line: number;
  site: string;
  sku: string;
  location: string;
  lot: string;
  quantity: string;
  uom: string | null;
}

export interface BinRow {
  line: number;
  site: string;
  location: string;
  zone: string | null;
  kind: BinKind;
  maxWeightKg: string | null;
  active: boolean;
}

export interface RowsByKind {
  ORDERS: OrderRow;
  INVENTORY: InventoryRow;
  BIN_LOCATIONS: BinRow;
}

export type Parsed<R> = { ok: true; row: R } | { ok: false; errors: RowError[] };

/**
 * Who reads or confirms imports: admins see every upload; a warehouse supervisor imports CSV
 * into their own sites and sees only the imports they uploaded.
 */
export interface ImportViewer {
  userId: string;
  role: 'ADMIN' | 'WAREHOUSE_SUPERVISOR';
}

/** What the uploader may import into: every site, or these. */
export interface ImportScope {
  allSites: boolean;
  siteIds: readonly string[];
}

export interface ImportCounts {
  rowsProcessed: number;
  rowsImported: number;
  rowsUnchanged: number;
  rowsRejected: number;
}

export const IMPORT_KINDS: readonly ImportKind[] = ['ORDERS', 'INVENTORY', 'BIN_LOCATIONS'];
