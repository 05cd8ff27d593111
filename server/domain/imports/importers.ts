import type { ImportKind } from '../../db/generated/enums';
import { binsImporter } from './bins-import';
import { inventoryImporter } from './inventory-import';
import type { KindImporter } from './kinds';
import { ordersImporter } from './orders-import';

export type AnyImporter = KindImporter<unknown, unknown>;

export const IMPORTERS: Record<ImportKind, AnyImporter> = {
  ORDERS: ordersImporter as unknown as AnyImporter,
  INVENTORY: inventoryImporter as unknown as AnyImporter,
  BIN_LOCATIONS: binsImporter as unknown as AnyImporter,
};
