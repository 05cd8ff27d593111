import { afterAll, beforeAll, expect, it } from 'vitest';

import { prisma } from '../../server/db/client';
import { CHUNK_ROWS } from '../../server/domain/imports/process-import';
import { createImportWorld, importFile, type ImportWorld } from './import-world';

// 50,000 order lines (25,000 orders of two lines) in one file, every thousandth order with a bad
// quantity on its second line: the job works through it in chunks and the counts come out exact.

let w: ImportWorld;

beforeAll(async () => {
  w = await createImportWorld(prisma, 20);
});

afterAll(async () => {
  await prisma.$disconnect();
});

function bigFile(orders: number): string {
  const rows = ['order_ref,site,customer,ship_to,released_at,line_no,sku,quantity,uom,unit_price'];
  const tag = Date.now().toString(36);
  for (let i = 0; i < orders; i++) {
    const head = `BIG-${tag}-${i},${w.site},${w.customer},${w.shipTo},2026-11-29T08:00:00Z`;
    rows.push(`${head},1,${w.skus[i % 20]},${(i % 7) + 1},EA,3.10`);
    rows.push(`${head},2,${w.skus[(i + 1) % 20]},${i % 1000 === 999 ? '-1' : '2.5'},EA,1`);
  }

  return rows.join('\n');
}

it('imports 50,000 rows in chunks with exact counts', { timeout: 600_000 }, async () => {
  const body = bigFile(25_000);
  expect(50_000 / CHUNK_ROWS).toBeGreaterThan(10);
  const { uploaded, run } = await importFile(prisma, w, 'ORDERS', body);

  expect(run).toMatchObject({
    status: 'COMPLETED',
    rowsProcessed: 50_000,
    rowsImported: 49_950,
    rowsUnchanged: 0,
    rowsRejected: 50,
    processedBytes: Buffer.byteLength(body),
  });
  const events = await prisma.shipmentEvent.count({ where: { documentId: uploaded.documentId } });
  expect(events).toBe(24_975);
  const errors = await prisma.importRowError.findMany({
    where: { runId: uploaded.runId, column: 'quantity' },
    select: { line: true },
  });
  expect(errors).toHaveLength(25);
  // Order 999's second line: header, then two lines per order.
  expect(errors.map((e) => e.line)).toContain(1 + 999 * 2 + 2);
  const audit = await prisma.auditLog.findMany({
    where: { entityType: 'import_run', entityId: uploaded.runId },
    orderBy: { seq: 'asc' },
  });
  expect(audit.map((a) => a.action)).toEqual([
    'import.uploaded',
    'import.confirmed',
    'import.completed',
  ]);
});
