import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { createPrisma } from '../server/db/client';
import { EventType } from '../server/db/generated/enums';
import type { PartnerPrincipal } from '../server/domain/integration/authenticate-partner';
import { createMapping } from '../server/domain/integration/mappings/mutations';
import { reapplyHeldEvents } from '../server/domain/integration/mappings/reapply-held';
import { receiveX12 } from '../server/domain/integration/receive-x12';
import { createPartner, createSite, uniqueCode } from '../tests/fixtures/partner';
import { benchDatabase } from './lib/setup';

// `npx tsx bench/held-documents.ts`: BENCH_DOCUMENTS (200) copies of EdiEngine's 940, each its
// own interchange and order, whose depositor no mapping knows: each is kept, its order held and
// parked as an orphan exception. Then one mapping of the depositor, and the re-read of every held
// document through the intake, as the job runs it; then the same re-read again, which must find
// nothing. On a fresh database (an embedded PostgreSQL, or BENCH_DATABASE_URL's server). Figures
// print as lines and, last, as one JSON line.

const DOCUMENTS = Number(process.env.BENCH_DOCUMENTS ?? 200);
const SAMPLE = path.resolve(import.meta.dirname, '../tests/fixtures/samples/x12/ediengine-940.edi');

function document(i: number): string {
  const control = String(100_000_000 + i);

  return readFileSync(SAMPLE, 'utf8')
    .replace('*000003438*0*P*', `*${control}*0*P*`)
    .replace('IEA*1*000003438', `IEA*1*${control}`)
    .replace('W05*N*538686**', `W05*N*BENCH-${i}**`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function seed(db: ReturnType<typeof createPrisma>) {
  const site = await createSite(db);
  const partner = await createPartner(db);
  await db.team.create({ data: { siteId: site.id, kind: 'ADMIN', name: 'Admins' } });
  const customer = await db.customer.create({
    data: {
      code: uniqueCode('CUST'),
      name: 'Bench customer',
      creditLimit: '1000000',
      locations: {
        create: { code: 'ST1', name: 'Store', city: 'X', postalCode: '1', country: 'US' },
      },
    },
  });
  await db.unitOfMeasure.upsert({
    where: { code: 'CS' },
    create: { code: 'CS', name: 'Case' },
    update: {},
  });
  const user = await db.user.create({
    data: {
      email: `${randomUUID()}@bench.test`,
      name: 'Bench admin',
      passwordHash: 'x',
      role: 'ADMIN',
    },
  });
  const actor = { userId: user.id, requestId: 'bench' };
  const mapping = { partnerId: partner.id };
  const skus = [] as string[];
  for (const gtin of ['000100000010', '000000000220', '000000000330']) {
    const sku = await db.sku.create({
      data: {
        code: uniqueCode('SKU'),
        name: gtin,
        gtin,
        unitPrice: '1',
        weightKg: '1',
        volumeM3: '0.01',
      },
    });
    skus.push(sku.code);
  }
  await createMapping(db, actor, {
    ...mapping,
    kind: 'LOCATION',
    externalId: '0000000000140',
    target: { type: 'SITE', siteCode: site.code },
  });
  await createMapping(db, actor, {
    ...mapping,
    kind: 'LOCATION',
    externalId: '00000001',
    target: { type: 'CUSTOMER_LOCATION', customerCode: customer.code, locationCode: 'ST1' },
  });
  const principal: PartnerPrincipal = {
    partnerId: partner.id,
    partnerCode: partner.code,
    keyId: randomUUID(),
    keyPrefix: 'bench',
    siteIds: new Set([site.id]),
    siteCodes: new Set([site.code]),
    eventTypes: new Set(Object.values(EventType)),
    canSendEvents: true,
    canRead: true,
    canSendEdi: true,
    canSendEpcis: true,
  };

  return { principal, actor, customerCode: customer.code };
}

async function main(): Promise<number> {
  const database = await benchDatabase();
  const db = createPrisma(database.url, 8);
  try {
    const { principal, actor, customerCode } = await seed(db);
    const perDocument: number[] = [];
    const started = performance.now();
    for (let i = 0; i < DOCUMENTS; i += 1) {
      const t0 = performance.now();
      const answer = await receiveX12(db, principal, document(i), {
        requestId: 'bench',
        now: new Date(),
      });
      perDocument.push(performance.now() - t0);
      const first = answer.interchanges[0];
      if (!first || first.duplicate || first.events.orphans.length !== 1) {
        throw new Error(`document ${i} was not held as one orphan`);
      }
    }
    const receiveMs = performance.now() - started;
    const sorted = [...perDocument].sort((a, b) => a - b);

    await createMapping(db, actor, {
      partnerId: principal.partnerId,
      kind: 'PARTNER_ID',
      externalId: '0000000000001',
      target: { type: 'CUSTOMER', customerCode },
    });
    const r0 = performance.now();
    const reread = await reapplyHeldEvents(db, principal.partnerId);
    const rereadMs = performance.now() - r0;
    const again = await reapplyHeldEvents(db, principal.partnerId);
    const recorded = await db.shipmentEvent.count({ where: { partnerId: principal.partnerId } });
    const open = await db.exception.count({
      where: {
        type: 'ORPHAN_EVENT',
        status: 'OPEN',
        dedupeKey: { startsWith: `orphan:partner:${principal.partnerId}:` },
      },
    });
    const pass =
      reread.released === DOCUMENTS &&
      again.documents === 0 &&
      recorded === DOCUMENTS &&
      open === 0;
    const figures = {
      bench: 'held-documents',
      documents: DOCUMENTS,
      receiveMs: Math.round(receiveMs),
      receivePerSecond: Math.round((DOCUMENTS / receiveMs) * 1000),
      receiveP50Ms: Math.round(percentile(sorted, 50)),
      receiveP99Ms: Math.round(percentile(sorted, 99)),
      rereadMs: Math.round(rereadMs),
      rereadPerSecond: Math.round((reread.documents / rereadMs) * 1000),
      released: reread.released,
      secondRun: again,
      recorded,
      openOrphans: open,
      pass,
    };
    const lines = [
      `${DOCUMENTS} 940s received, each held as one orphan: ${figures.receiveMs} ms (${figures.receivePerSecond}/s), per document p50 ${figures.receiveP50Ms} ms, p99 ${figures.receiveP99Ms} ms`,
      `one depositor mapping, then the re-read: ${figures.rereadMs} ms (${figures.rereadPerSecond} documents/s), ${reread.released} released, ${recorded} events recorded, ${open} orphans open`,
      `a second re-read: ${again.documents} documents, ${again.released} released`,
      `every held event applied once, none left: ${pass ? 'yes' : 'NO'}`,
    ];
    for (const line of lines) process.stdout.write(`${line}\n`);
    process.stdout.write(`${JSON.stringify(figures)}\n`);

    return pass ? 0 : 1;
  } finally {
    await db.$disconnect();
    await database.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench/held-documents: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
