import type { Db } from '../../server/db/client';
import { confirmImport } from '../../server/domain/imports/confirm';
import { getImport } from '../../server/domain/imports/reads';
import { processImport } from '../../server/domain/imports/process-import';
import { uploadCsv } from '../../server/domain/imports/upload';
import type { ImportKind } from '../../server/db/generated/enums';
import { createPartner, createSite, uniqueCode } from '../fixtures/partner';

// A world for CSV imports, every code unique to it: a site and a second one the uploader may
// not import into, a partner, a customer with a ship-to, SKUs (one counted in cases of 12), and
// an admin scoped to the first site. No test framework here: the bench uses it too.

export interface ImportWorld {
  site: string;
  siteId: string;
  otherSite: string;
  partnerId: string;
  customer: string;
  shipTo: string;
  skus: string[];
  skuIds: string[];
  caseSku: string;
  userId: string;
}

export async function createImportWorld(db: Db, skuCount = 3): Promise<ImportWorld> {
  const site = await createSite(db);
  const other = await createSite(db);
  const partner = await createPartner(db);
  const customer = await db.customer.create({
    data: {
      code: uniqueCode('CUST'),
      name: 'Import customer',
      creditLimit: '1000000',
      locations: {
        create: {
          code: 'DC1',
          name: 'DC 1',
          city: 'Austin',
          postalCode: '73301',
          country: 'US',
        },
      },
    },
  });
  await db.unitOfMeasure.upsert({
    where: { code: 'CS' },
    create: { code: 'CS', name: 'Case' },
    update: {},
  });
  await db.unitOfMeasure.upsert({
    where: { code: 'EA' },
    create: { code: 'EA', name: 'Each' },
    update: {},
  });
  const skus = [];
  for (let i = 0; i < skuCount; i++) {
    skus.push(
      await db.sku.create({
        data: {
          code: uniqueCode('SKU'),
          name: `Item ${i}`,
          unitPrice: '2.5',
          weightKg: '1',
          volumeM3: '0.01',
          units: i === 0 ? { create: { uomCode: 'CS', factor: '12' } } : undefined,
        },
      }),
    );
  }
  const user = await db.user.create({
    data: {
      email: `${uniqueCode('importer').toLowerCase()}@test.example`,
      name: 'Importer',
      passwordHash: 'x',
      role: 'ADMIN',
      sites: { create: { siteId: site.id } },
    },
  });

  return {
    site: site.code,
    siteId: site.id,
    otherSite: other.code,
    partnerId: partner.id,
    customer: customer.code,
    shipTo: 'DC1',
    skus: skus.map((s) => s.code),
    skuIds: skus.map((s) => s.id),
    caseSku: skus[0]!.code,
    userId: user.id,
  };
}

/** Upload, confirm and run the import job to its end, as the worker would. */
export async function importFile(db: Db, world: ImportWorld, kind: ImportKind, body: string) {
  const actor = { userId: world.userId, requestId: 'test', role: 'ADMIN' as const };
  const scope = { allSites: false, siteIds: [world.siteId] };
  const uploaded = await uploadCsv(db, actor, scope, {
    partnerId: world.partnerId,
    kind,
    fileName: `${kind.toLowerCase()}.csv`,
    body,
  });
  await confirmImport(db, actor, uploaded.runId);
  await processImport(db, uploaded.runId, { finalAttempt: true });

  return { uploaded, run: await getImport(db, actor, uploaded.runId) };
}
