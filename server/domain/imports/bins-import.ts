import type { Tx } from '../../db/client';
import type { Checked, ImportContext, Item, KindImporter, Written } from './kinds';
import { partition } from './kinds';
import { siteProblem } from './master-data';
import { parseBinRow } from './parse-rows';
import type { BinRow, RowError } from './types';

// Bin locations per site, upserted by (site, code) in one statement per chunk; a row identical
// to the stored bin is counted unchanged.

interface BinWrite {
  line: number;
  site_id: string;
  code: string;
  zone: string | null;
  kind: string;
  max_weight_kg: string | null;
  active: boolean;
}

async function check(ctx: ImportContext, items: Item<BinRow>[]): Promise<Checked<BinWrite>> {
  const { rows, errors } = partition(items);
  await ctx.master.loadSites();
  const accepted: BinWrite[] = [];
  for (const row of rows) {
    const site = ctx.master.site(row.site);
    const problem = siteProblem(site, row.site);
    if (problem || !site) {
      errors.push({ line: row.line, column: 'site', value: row.site, reason: problem! });
      continue;
    }
    accepted.push({
      line: row.line,
      site_id: site.id,
      code: row.location,
      zone: row.zone,
      kind: row.kind,
      max_weight_kg: row.maxWeightKg,
      active: row.active,
    });
  }

  return { accepted, errors };
}

async function write(_ctx: ImportContext, accepted: BinWrite[], tx: Tx | null): Promise<Written> {
  if (!tx) throw new Error('bin locations are written in the chunk transaction');
  if (accepted.length === 0) return { imported: 0, unchanged: 0, errors: [] };
  const [counted] = await tx.$queryRaw<{ changed: number }[]>`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(accepted)}::jsonb) AS r(
        site_id uuid, code text, zone text, kind text, max_weight_kg numeric, active boolean)
    ), upserted AS (
      INSERT INTO bin_locations AS b (id, site_id, code, zone, kind, max_weight_kg, active,
        updated_at)
      SELECT gen_random_uuid(), site_id, code, zone, kind::"BinKind", max_weight_kg, active, now()
      FROM input
      ON CONFLICT (site_id, code) DO UPDATE SET zone = EXCLUDED.zone, kind = EXCLUDED.kind,
        max_weight_kg = EXCLUDED.max_weight_kg, active = EXCLUDED.active, updated_at = now()
      WHERE (b.zone, b.kind, b.max_weight_kg, b.active)
        IS DISTINCT FROM (EXCLUDED.zone, EXCLUDED.kind, EXCLUDED.max_weight_kg, EXCLUDED.active)
      RETURNING 1
    )
    SELECT count(*)::int AS changed FROM upserted`;
  const changed = counted?.changed ?? 0;

  return { imported: changed, unchanged: accepted.length - changed, errors: [] as RowError[] };
}

export const binsImporter: KindImporter<BinRow, BinWrite> = {
  parse: parseBinRow,
  keyOf: (cells) => `${cells.get('site')}|${cells.get('location')}`,
  describeKey: 'site and location',
  grouped: false,
  check,
  write,
  transactional: true,
  linesOf: (w) => [w.line],
};
