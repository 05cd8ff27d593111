import { createPrisma } from '../server/db/client';
import { confirmImport } from '../server/domain/imports/confirm';
import { processImport } from '../server/domain/imports/process-import';
import { getImport } from '../server/domain/imports/reads';
import { uploadCsv } from '../server/domain/imports/upload';
import type { ImportKind } from '../server/db/generated/enums';
import { createImportWorld, type ImportWorld } from '../tests/imports/import-world';
import { benchDatabase } from './lib/setup';

const ADMIN_VIEW = { userId: '', role: 'ADMIN' as const };

// `npx tsx bench/csv-import.ts`: CSV imports at the size the upload page is built for. One file
// of bin locations, then BENCH_ROWS (default 200,000) order lines (two per order) and as many
// inventory balances, each uploaded (preview included), confirmed and run by the import job's
// own service in this process. Prints a table and, last, one JSON line.

const ROWS = Number(process.env.BENCH_ROWS ?? 200_000);
const SKUS = 100;

interface Row {
  kind: ImportKind;
  rows: number;
  megabytes: number;
  uploadMs: number;
  importSeconds: number;
  rowsPerSecond: number;
  imported: number;
  rejected: number;
}

function binsFile(w: ImportWorld, bins: number): string {
  const lines = ['site,location,zone,kind'];
  for (let i = 0; i < bins; i++) lines.push(`${w.site},B-${i},Z${i % 10},RESERVE`);

  return lines.join('\n');
}

function ordersFile(w: ImportWorld, rows: number): string {
  const at = new Date(Date.now() - 86_400_000).toISOString();
  const lines = ['order_ref,site,customer,ship_to,released_at,line_no,sku,quantity,uom,unit_price'];
  for (let i = 0; i < rows / 2; i++) {
    const head = `BENCH-${i},${w.site},${w.customer},${w.shipTo},${at}`;
    lines.push(`${head},1,${w.skus[i % SKUS]},${(i % 9) + 1},EA,4.25`);
    lines.push(`${head},2,${w.skus[(i + 7) % SKUS]},1.5,EA,12.00`);
  }

  return lines.join('\n');
}

function inventoryFile(w: ImportWorld, rows: number, bins: number): string {
  const lines = ['site,sku,location,lot,quantity'];
  for (let i = 0; i < rows; i++) {
    const bin = i % bins;
    const sku = Math.floor(i / bins) % SKUS;
    const lot = `L${Math.floor(i / (bins * SKUS))}`;
    lines.push(`${w.site},${w.skus[sku]},B-${bin},${lot},${(i % 500) + 1}`);
  }

  return lines.join('\n');
}

async function run(
  db: ReturnType<typeof createPrisma>,
  w: ImportWorld,
  kind: ImportKind,
  body: string,
  rows: number,
): Promise<Row> {
  const actor = { userId: w.userId, requestId: 'bench', role: 'ADMIN' as const };
  const started = performance.now();
  const uploaded = await uploadCsv(
    db,
    actor,
    { allSites: true, siteIds: [] },
    {
      partnerId: w.partnerId,
      kind,
      fileName: `${kind}.csv`,
      body,
    },
  );
  const uploadMs = performance.now() - started;
  await confirmImport(db, actor, uploaded.runId);
  const importStart = performance.now();
  await processImport(db, uploaded.runId, { finalAttempt: true });
  const importSeconds = (performance.now() - importStart) / 1000;
  const result = await getImport(db, ADMIN_VIEW, uploaded.runId);
  if (result.status !== 'COMPLETED' || result.rowsProcessed !== rows) {
    throw new Error(`${kind}: ${result.status}, ${result.rowsProcessed} of ${rows} rows`);
  }

  return {
    kind,
    rows,
    megabytes: Number((Buffer.byteLength(body) / 1024 / 1024).toFixed(1)),
    uploadMs: Math.round(uploadMs),
    importSeconds: Number(importSeconds.toFixed(1)),
    rowsPerSecond: Math.round(rows / importSeconds),
    imported: result.rowsImported,
    rejected: result.rowsRejected,
  };
}

async function main() {
  const database = await benchDatabase();
  const db = createPrisma(database.url, 8);
  try {
    const world = await createImportWorld(db, SKUS);
    const bins = Math.ceil(ROWS / SKUS);
    const results = [
      await run(db, world, 'BIN_LOCATIONS', binsFile(world, bins), bins),
      await run(db, world, 'ORDERS', ordersFile(world, ROWS), ROWS),
      await run(db, world, 'INVENTORY', inventoryFile(world, ROWS, bins), ROWS),
    ];
    console.table(results);
    console.log(JSON.stringify({ bench: 'csv-import', results }));
  } finally {
    await db.$disconnect();
    await database.stop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
