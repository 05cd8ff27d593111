import type { Tx } from '../../db/client';
import { decimal, toStorage } from '../../lib/money';
import { toBaseQuantity } from '../../lib/units';
import type { Checked, ImportContext, Item, KindImporter, Written } from './kinds';
import { partition } from './kinds';
import { siteProblem } from './master-data';
import { parseInventoryRow } from './parse-rows';
import type { InventoryRow, RowError } from './types';

// Quantity on hand per site, SKU, lot and bin, in the SKU's base unit. Each row sets the balance
// it names (a count, not a movement), so importing the same file twice leaves the same stock;
// balances the file does not name are left as they are.

// numeric(14,4): ten digits before the point.
const MAX_ON_HAND = decimal('9999999999.9999');

interface InventoryWrite {
  line: number;
  site_id: string;
  sku_id: string;
  bin_location_id: string;
  lot: string;
  on_hand: string;
}

function fail(row: InventoryRow, column: string, value: string | null, reason: string): RowError {
  return { line: row.line, column, value, reason };
}

async function check(
  ctx: ImportContext,
  items: Item<InventoryRow>[],
): Promise<Checked<InventoryWrite>> {
  const { rows, errors } = partition(items);
  const { master } = ctx;
  await master.loadSites();
  await master.loadSkus(rows.map((r) => r.sku));
  const sited = rows.flatMap((r) => {
    const site = master.site(r.site);
    return site ? [{ siteId: site.id, code: r.location }] : [];
  });
  await master.loadBins(sited);

  const accepted: InventoryWrite[] = [];
  for (const row of rows) {
    const site = master.site(row.site);
    const sku = master.sku(row.sku);
    const problems: RowError[] = [];
    const badSite = siteProblem(site, row.site);
    if (badSite) problems.push(fail(row, 'site', row.site, badSite));
    if (!sku) problems.push(fail(row, 'sku', row.sku, `unknown SKU ${row.sku}`));
    const binId = site ? master.bin(site.id, row.location) : null;
    if (site && !binId) {
      const reason = `unknown bin location ${row.location} at site ${row.site}; import it first`;
      problems.push(fail(row, 'location', row.location, reason));
    }
    const uom = row.uom ?? sku?.baseUom ?? '';
    const base = sku ? toBaseQuantity(decimal(row.quantity), uom, sku.units, sku.baseUom) : null;
    if (base && !base.ok) problems.push(fail(row, 'uom', uom, base.message));
    if (base?.ok && base.quantity.greaterThan(MAX_ON_HAND)) {
      const reason = `is ${base.quantity.toFixed()} ${sku!.baseUom} in the base unit, more than can be stored`;
      problems.push(fail(row, 'quantity', row.quantity, reason));
    }
    if (problems.length || !site || !binId || !base?.ok) {
      errors.push(...problems);
      continue;
    }
    accepted.push({
      line: row.line,
      site_id: site.id,
      sku_id: sku!.id,
      bin_location_id: binId,
      lot: row.lot,
      on_hand: toStorage(base.quantity),
    });
  }

  return { accepted, errors };
}

async function write(
  ctx: ImportContext,
  accepted: InventoryWrite[],
  tx: Tx | null,
): Promise<Written> {
  if (!tx) throw new Error('inventory is written in the chunk transaction');
  if (accepted.length === 0) return { imported: 0, unchanged: 0, errors: [] };
  const [counted] = await tx.$queryRaw<{ changed: number }[]>`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(accepted)}::jsonb) AS r(
        site_id uuid, sku_id uuid, bin_location_id uuid, lot text, on_hand numeric)
    ), upserted AS (
      INSERT INTO inventory_balances AS i (id, site_id, sku_id, bin_location_id, lot, on_hand,
        import_run_id, updated_at)
      SELECT gen_random_uuid(), site_id, sku_id, bin_location_id, lot, on_hand,
        ${ctx.runId}::uuid, now()
      FROM input
      ON CONFLICT (bin_location_id, sku_id, lot) DO UPDATE SET on_hand = EXCLUDED.on_hand,
        import_run_id = EXCLUDED.import_run_id, updated_at = now()
      WHERE i.on_hand IS DISTINCT FROM EXCLUDED.on_hand
      RETURNING 1
    )
    SELECT count(*)::int AS changed FROM upserted`;
  const changed = counted?.changed ?? 0;

  return { imported: changed, unchanged: accepted.length - changed, errors: [] };
}

export const inventoryImporter: KindImporter<InventoryRow, InventoryWrite> = {
  parse: parseInventoryRow,
  keyOf: (cells) =>
    [cells.get('site'), cells.get('sku'), cells.get('lot'), cells.get('location')].join('|'),
  describeKey: 'site, SKU, lot and location',
  grouped: false,
  check,
  write,
  transactional: true,
  linesOf: (w) => [w.line],
};
