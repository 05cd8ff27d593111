import { afterAll, beforeAll, expect, it, vi } from 'vitest';

import { prisma } from '../../server/db/client';
import { confirmImport } from '../../server/domain/imports/confirm';
import { inventoryImporter } from '../../server/domain/imports/inventory-import';
import { CHUNK_ROWS, processImport } from '../../server/domain/imports/process-import';
import { getImport } from '../../server/domain/imports/reads';
import { uploadCsv } from '../../server/domain/imports/upload';
import { createImportWorld, importFile, type ImportWorld } from './import-world';

const ADMIN_VIEW = { userId: '', role: 'ADMIN' as const };

// A job that dies between chunks: the chunks it committed stay, with their progress; the retry
// reads the file from its start, skips what the progress counts, and ends with exact counts.
// The failure is injected into the second chunk's write, inside its transaction.

let w: ImportWorld;
const BINS = 50;

beforeAll(async () => {
  w = await createImportWorld(prisma, 3);
  const bins = ['site,location', ...Array.from({ length: BINS }, (_, i) => `${w.site},R-${i}`)];
  await importFile(prisma, w, 'BIN_LOCATIONS', bins.join('\n'));
});

afterAll(async () => {
  vi.restoreAllMocks();
  await prisma.$disconnect();
});

function inventory(rows: number): string {
  const lines = ['site,sku,location,lot,quantity'];
  for (let i = 0; i < rows; i++) {
    const lot = `LOT-${Math.floor(i / (BINS * 3))}`;
    lines.push(`${w.site},${w.skus[i % 3]},R-${Math.floor(i / 3) % BINS},${lot},${i + 1}`);
  }
  lines.push(`${w.site},${w.skus[0]},R-0,LOT-0,9`);

  return lines.join('\n');
}

async function upload(body: string) {
  const actor = { userId: w.userId, requestId: 'test', role: 'ADMIN' as const };
  const uploaded = await uploadCsv(
    prisma,
    actor,
    { allSites: false, siteIds: [w.siteId] },
    {
      partnerId: w.partnerId,
      kind: 'INVENTORY',
      fileName: 'counts.csv',
      body,
    },
  );
  await confirmImport(prisma, actor, uploaded.runId);

  return uploaded.runId;
}

it('resumes after the chunks a failed attempt committed', async () => {
  const rows = 2 * CHUNK_ROWS + 500;
  const runId = await upload(inventory(rows));
  const write = inventoryImporter.write;
  let calls = 0;
  const spy = vi.spyOn(inventoryImporter, 'write').mockImplementation(async (...args) => {
    calls += 1;
    if (calls === 2) throw new Error('connection lost');

    return write(...args);
  });

  await expect(processImport(prisma, runId, { finalAttempt: false })).rejects.toThrow('lost');
  const halfway = await getImport(prisma, ADMIN_VIEW, runId);
  expect(halfway).toMatchObject({ status: 'RUNNING', rowsProcessed: CHUNK_ROWS });
  expect(await prisma.inventoryBalance.count({ where: { importRunId: runId } })).toBe(CHUNK_ROWS);

  spy.mockRestore();
  await processImport(prisma, runId, { finalAttempt: false });
  const done = await getImport(prisma, ADMIN_VIEW, runId);
  expect(done).toMatchObject({
    status: 'COMPLETED',
    rowsProcessed: rows + 1,
    rowsImported: rows,
    rowsRejected: 1,
  });
  // The repeated key on the last line is still known as a repeat of line 2, read before the crash.
  const [repeat] = await prisma.importRowError.findMany({ where: { runId } });
  expect(repeat).toMatchObject({
    line: rows + 2,
    reason: 'repeats the site, SKU, lot and location of line 2',
  });
  expect(await prisma.inventoryBalance.count({ where: { importRunId: runId } })).toBe(rows);
});

it('marks the run failed when the last attempt fails', async () => {
  const runId = await upload(inventory(10));
  vi.spyOn(inventoryImporter, 'write').mockRejectedValueOnce(new Error('disk full'));

  await expect(processImport(prisma, runId, { finalAttempt: true })).rejects.toThrow('disk full');
  expect(await getImport(prisma, ADMIN_VIEW, runId)).toMatchObject({
    status: 'FAILED',
    failure: 'disk full',
  });
  await processImport(prisma, runId, { finalAttempt: true });
  expect(await getImport(prisma, ADMIN_VIEW, runId)).toMatchObject({
    status: 'FAILED',
    rowsProcessed: 0,
  });
});
