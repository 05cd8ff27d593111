import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { prisma } from '../../server/db/client';
import { confirmImport } from '../../server/domain/imports/confirm';
import { uploadCsv } from '../../server/domain/imports/upload';
import { createImportWorld, importFile, type ImportWorld } from './import-world';

// CSV imports end to end on the run's real database: upload and preview, confirm, the job.

let w: ImportWorld;

beforeAll(async () => {
  w = await createImportWorld(prisma);
});

afterAll(async () => {
  await prisma.$disconnect();
});

function errorsOf(runId: string) {
  return prisma.importRowError.findMany({ where: { runId }, orderBy: { line: 'asc' } });
}

const ORDER_HEADER =
  'order_ref,site,customer,ship_to,released_at,line_no,sku,quantity,uom,unit_price';

describe('orders', () => {
  it('records each order as one ORDER_RELEASED event and rejects a whole order for one bad line', async () => {
    const at = '2026-11-30T09:00:00Z';
    const good = (ref: string, line: number, sku: string, qty = '2', uom = 'EA') =>
      `${ref},${w.site},${w.customer},${w.shipTo},${at},${line},${sku},${qty},${uom},1.25`;
    const body = [
      ORDER_HEADER,
      good('IMP-A', 1, w.skus[0]!),
      good('IMP-A', 2, w.skus[1]!, '1', 'CS'),
      good('IMP-B', 1, w.skus[1]!, '3.5'),
      good('IMP-C', 1, w.skus[2]!, '1.5.0'),
      good('IMP-C', 2, 'NO-SUCH-SKU'),
      `IMP-D,${w.otherSite},${w.customer},${w.shipTo},${at},1,${w.skus[0]},1,EA,1`,
      good('IMP-A', 3, w.skus[2]!),
    ].join('\n');
    const { uploaded, run } = await importFile(prisma, w, 'ORDERS', body);

    expect(uploaded.preview.problems).toEqual([]);
    expect(run).toMatchObject({
      status: 'COMPLETED',
      rowsProcessed: 7,
      rowsImported: 1,
      rowsRejected: 6,
    });
    const errors = await errorsOf(uploaded.runId);
    const reasons = errors.map((e) => `${e.line}:${e.column ?? ''}:${e.reason}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^3:uom:Unit CS is not defined for this SKU/),
        expect.stringMatching(/^2::order IMP-A is rejected for its line 3/),
        expect.stringMatching(/^5:quantity:quantity must be a decimal string/),
        expect.stringMatching(/^6:sku:unknown SKU NO-SUCH-SKU/),
        expect.stringMatching(/^7:site:site .* is not one of your sites/),
        expect.stringMatching(/^8::order IMP-A already appears on line 2/),
      ]),
    );
    const events = await prisma.shipmentEvent.findMany({
      where: { documentId: uploaded.documentId },
    });
    expect(events.map((e) => e.orderRef)).toEqual(['IMP-B']);
    expect(events[0]).toMatchObject({ type: 'ORDER_RELEASED', source: 'CSV' });
  });

  it('answers a re-import of the same file duplicate, and changes nothing', async () => {
    const body = [
      ORDER_HEADER,
      `IMP-R1,${w.site},${w.customer},${w.shipTo},2026-11-30T10:00:00Z,1,${w.skus[1]},4,EA,2`,
      `IMP-R1,${w.site},${w.customer},${w.shipTo},2026-11-30T10:00:00Z,2,${w.skus[0]},1,CS,20`,
    ].join('\r\n');
    const first = await importFile(prisma, w, 'ORDERS', body);
    const again = await importFile(prisma, w, 'ORDERS', body);

    expect(first.run).toMatchObject({ rowsImported: 2, rowsUnchanged: 0, rowsRejected: 0 });
    expect(again.uploaded.earlier?.runId).toBe(first.uploaded.runId);
    expect(again.run).toMatchObject({ status: 'COMPLETED', rowsImported: 0, rowsUnchanged: 2 });
    const events = await prisma.shipmentEvent.count({ where: { orderRef: 'IMP-R1' } });
    expect(events).toBe(1);
  });
});

describe('header and file problems', () => {
  const actor = () => ({ userId: w.userId, requestId: 'test', role: 'ADMIN' as const });
  const scope = () => ({ allSites: false, siteIds: [w.siteId] });

  it('names ignored and missing columns, and refuses to confirm a file without a required one', async () => {
    const uploaded = await uploadCsv(prisma, actor(), scope(), {
      partnerId: w.partnerId,
      kind: 'INVENTORY',
      fileName: 'inv.csv',
      body: 'Site,SKU,Bin,Colour\nX,Y,Z,red\n',
    });

    expect(uploaded.preview.columns.map((c) => c.column)).toEqual([
      'site',
      'sku',
      'location',
      null,
    ]);
    expect(uploaded.preview.warnings).toEqual([
      expect.stringMatching(/^column 4 "Colour" is not a column of this import; ignored/),
    ]);
    expect(uploaded.preview.problems).toEqual(['required column quantity is missing']);
    await expect(confirmImport(prisma, actor(), uploaded.runId)).rejects.toThrow(
      /cannot be imported/,
    );
  });

  it('refuses a file that is not UTF-8 text', async () => {
    await expect(
      uploadCsv(prisma, actor(), scope(), {
        partnerId: w.partnerId,
        kind: 'BIN_LOCATIONS',
        fileName: 'bins.csv',
        body: 'site,location\nA,\uFFFD\n',
      }),
    ).rejects.toThrow(/not UTF-8/);
  });
});

describe('bin locations and inventory', () => {
  it('upserts bins and balances set-based, converting units, and a re-run changes nothing', async () => {
    const bins = [
      'site,location,zone,kind,max_weight,weight_unit',
      `${w.site},A-01,A,PICK,100,LB`,
      `${w.site},A-02,A,RESERVE,,`,
      `${w.site},A-03,A,SHELF,,`,
      `${w.site},A-01,B,PICK,,`,
      `${w.site},A-04,A,PICK,12,`,
    ].join('\n');
    const binRun = await importFile(prisma, w, 'BIN_LOCATIONS', bins);
    expect(binRun.run).toMatchObject({ rowsImported: 2, rowsRejected: 3 });
    const binErrors = (await errorsOf(binRun.uploaded.runId)).map((e) => [e.line, e.column]);
    expect(binErrors).toEqual([
      [4, 'kind'],
      [5, null],
      [6, 'weight_unit'],
    ]);
    const a01 = await prisma.binLocation.findFirstOrThrow({
      where: { siteId: w.siteId, code: 'A-01' },
    });
    expect(a01.maxWeightKg?.toFixed(4)).toBe('45.3592');

    const inventory = [
      'site,sku,location,lot,quantity,uom',
      `${w.site},${w.caseSku},A-01,L1,2,CS`,
      `${w.site},${w.caseSku},A-01,,5,`,
      `${w.site},${w.skus[1]},A-02,L9,7.5,EA`,
      `${w.site},${w.skus[1]},A-09,,1,EA`,
      `${w.site},${w.skus[1]},A-02,L9,8,EA`,
      `${w.site},${w.skus[1]},A-02,,1.00001,EA`,
      `${w.site},${w.skus[2]},A-02,,1,PAL`,
    ].join('\n');
    const first = await importFile(prisma, w, 'INVENTORY', inventory);
    expect(first.run).toMatchObject({ rowsImported: 3, rowsUnchanged: 0, rowsRejected: 4 });
    const reasons = (await errorsOf(first.uploaded.runId)).map(
      (e) => `${e.line}:${e.column ?? ''}`,
    );
    expect(reasons).toEqual(['5:location', '6:', '7:quantity', '8:uom']);
    const balances = await prisma.inventoryBalance.findMany({
      where: { siteId: w.siteId },
      orderBy: [{ lot: 'asc' }, { onHand: 'asc' }],
    });
    expect(balances.map((b) => [b.lot, b.onHand.toFixed(4)])).toEqual([
      ['', '5.0000'],
      ['L1', '24.0000'],
      ['L9', '7.5000'],
    ]);

    const again = await importFile(prisma, w, 'INVENTORY', inventory);
    expect(again.run).toMatchObject({ rowsImported: 0, rowsUnchanged: 3, rowsRejected: 4 });
    expect(await prisma.inventoryBalance.count({ where: { siteId: w.siteId } })).toBe(3);
  });
});
