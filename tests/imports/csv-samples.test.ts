import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { prisma } from '../../server/db/client';
import { confirmImport } from '../../server/domain/imports/confirm';
import { processImport } from '../../server/domain/imports/process-import';
import { getImport } from '../../server/domain/imports/reads';
import { uploadCsv } from '../../server/domain/imports/upload';
import { createPartner, createSite } from '../fixtures/partner';
import { createImportWorld, type ImportWorld } from './import-world';

const ADMIN_VIEW = { userId: '', role: 'ADMIN' as const };

// The CSV samples (OpenBoxes' shapes: a bin list over three warehouses named by their names, and
// one warehouse's stock count with no site column) through upload, preview and the import job.

const SAMPLES = path.join(import.meta.dirname, '../fixtures/samples/csv');
const WAREHOUSES = ['Central Depot', 'North Clinic Store', 'South Field Store'];
const PRODUCTS = Array.from({ length: 12 }, (_, i) => `AB${101 + i}`);

let w: ImportWorld;
const siteIds: Record<string, string> = {};
const siteCodes: Record<string, string> = {};

beforeAll(async () => {
  w = await createImportWorld(prisma, 1);
  for (const name of WAREHOUSES) {
    const site = await createSite(prisma);
    await prisma.site.update({ where: { id: site.id }, data: { name } });
    siteIds[name] = site.id;
    siteCodes[name] = site.code;
  }
  for (const code of PRODUCTS) {
    await prisma.sku.upsert({
      where: { code },
      create: { code, name: code, unitPrice: '1', weightKg: '0.1', volumeM3: '0.001' },
      update: {},
    });
  }
  w.partnerId = (await createPartner(prisma)).id;
});

afterAll(async () => {
  await prisma.$disconnect();
});

async function importSample(file: string, kind: 'BIN_LOCATIONS' | 'INVENTORY', site?: string) {
  const actor = { userId: w.userId, requestId: 'samples', role: 'ADMIN' as const };
  const uploaded = await uploadCsv(
    prisma,
    actor,
    { allSites: true, siteIds: [] },
    {
      partnerId: w.partnerId,
      kind,
      fileName: file,
      site,
      body: fs.readFileSync(path.join(SAMPLES, file), 'utf8'),
    },
  );
  await confirmImport(prisma, actor, uploaded.runId);
  await processImport(prisma, uploaded.runId, { finalAttempt: true });

  return { uploaded, run: await getImport(prisma, ADMIN_VIEW, uploaded.runId) };
}

it('imports the bin list, its sites read by name and its extra columns ignored', async () => {
  const { uploaded, run } = await importSample('own-bin-locations.csv', 'BIN_LOCATIONS');

  expect(uploaded.preview.problems).toEqual([]);
  expect(uploaded.preview.warnings).toHaveLength(12);
  expect(uploaded.preview.columns.filter((c) => c.column).map((c) => [c.header, c.column])).toEqual(
    [
      ['name', 'location'],
      ['active', 'active'],
      ['parentLocation', 'site'],
    ],
  );
  expect(run).toMatchObject({ status: 'COMPLETED', rowsImported: 12, rowsRejected: 0 });
  const north = await prisma.binLocation.findMany({
    where: { siteId: siteIds['North Clinic Store'] },
    orderBy: { code: 'asc' },
  });
  expect(north.map((b) => [b.code, b.active])).toEqual([
    ['A1-RACK1-SHELF1', true],
    ['A1-RACK1-SHELF2', false],
    ['COLD STORE', true],
  ]);
});

it("imports one warehouse's stock count for the site chosen at upload", async () => {
  const site = siteCodes['Central Depot']!;
  const { uploaded, run } = await importSample('own-warehouse-inventory.csv', 'INVENTORY', site);

  expect(uploaded.preview.problems).toEqual([]);
  expect(uploaded.preview.rows.at(-1)!.errors).toEqual([
    {
      line: 13,
      column: 'location',
      value: 'A2-RACK1-SHELF2',
      reason: `unknown bin location A2-RACK1-SHELF2 at site ${site}; import it first`,
    },
  ]);
  expect(run).toMatchObject({ status: 'COMPLETED', rowsImported: 11, rowsRejected: 1 });
  const balances = await prisma.inventoryBalance.findMany({
    where: { siteId: siteIds['Central Depot'] },
    include: { sku: true, binLocation: true },
  });
  const byProduct = Object.fromEntries(
    balances.map((b) => [b.sku.code, [b.binLocation.code, b.lot, b.onHand.toFixed(0)]]),
  );
  expect(byProduct.AB101).toEqual(['A1-RACK1-SHELF1', 'L24-0113', '48000']);
  expect(byProduct.AB103).toEqual(['A1-RACK1-SHELF2', 'AMX/2291', '0']);
  expect(byProduct.AB105).toEqual(['A1-RACK2-SHELF1', '', '350']);
  expect(byProduct.AB112).toBeUndefined();
});
