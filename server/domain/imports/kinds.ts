import type { Db, Tx } from '../../db/client';
import type { MasterData } from './master-data';
import type { Cells, Parsed, RowError } from './types';

// What each kind of import supplies to the shared pipeline (process-import.ts, preview.ts): how
// a row is parsed and keyed, how a chunk of rows is checked against master data (no writes, so
// that the preview can run it too), and how the rows that passed are written.

/** One data row on its way through: its key (for repeats) and its parse. */
export interface Item<R> {
  line: number;
  key: string;
  parsed: Parsed<R>;
}

export interface ImportContext {
  db: Db;
  master: MasterData;
  runId: string;
  documentId: string;
  partnerId: string | null;
  /** SHA-256 of the file, hex: event ids derive from it, so a re-import is a duplicate. */
  fileSha256: string;
  now: Date;
  requestId?: string;
}

export interface Checked<W> {
  /** What to write, each with the lines it came from. */
  accepted: W[];
  errors: RowError[];
}

export interface Written {
  imported: number;
  unchanged: number;
  /** Lines the write itself refused (the intake's own verdict on an order). */
  errors: RowError[];
}

export interface KindImporter<R, W> {
  parse(cells: Cells): Parsed<R>;
  keyOf(cells: Cells): string;
  describeKey: string;
  /** True when consecutive rows of one key form one record (an order's lines). */
  grouped: boolean;
  check(ctx: ImportContext, items: Item<R>[]): Promise<Checked<W>>;
  /** Master data are written in the chunk's own transaction; orders go through the intake. */
  write(ctx: ImportContext, accepted: W[], tx: Tx | null): Promise<Written>;
  transactional: boolean;
  /** Lines of one accepted record. */
  linesOf(record: W): number[];
}

/** Errors grouped per line, with every line's first reason: the lines rejected. */
export function rejectedLines(errors: readonly RowError[]): Set<number> {
  return new Set(errors.map((e) => e.line));
}

/** Splits items into parsed rows and the errors of those that failed to parse. */
export function partition<R>(items: Item<R>[]): { rows: R[]; errors: RowError[] } {
  const rows: R[] = [];
  const errors: RowError[] = [];
  for (const item of items) {
    if (item.parsed.ok) rows.push(item.parsed.row);
    else errors.push(...item.parsed.errors);
  }

  return { rows, errors };
}
