import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { randomUUID } from 'node:crypto';

import { createCaller } from '../../server/api/root';
import type { Context } from '../../server/api/trpc';
import type { MappingKind } from '../../server/db/generated/enums';
import { reapplyHeldEvents } from '../../server/domain/integration/mappings/reapply-held';
import type { MappingTarget } from '../../server/domain/integration/mappings/schema';
import { logger } from '../../server/lib/logger';
import { jobsWithKey } from '../branches/jobs';
import { createApiKey, uniqueCode, type KeyFixture } from '../fixtures/partner';
import { closeFlow, drain, openFlow, type Flow } from '../main-flow/flow-helpers';
import { serveRoutes, type RouteServer } from './helpers/route-server';
import { fixture, shared, sharedAvailable, SKIP_REASON } from './helpers/samples';

// Every sample file through POST /api/v1/edi or /api/v1/epcis over real HTTP, in a world whose
// master data and mapping table know none of their references: each answer's 997 (two files
// break the envelope, and their 997s say so while the sound sets are still taken), the events
// the files produce, all held back, and one ORPHAN_EVENT exception per held event naming exactly
// what did not match, owned by the admin team of the key's site. The CSV samples wait for the
// CSV import, which reads no document through these routes.

let flow: Flow;
let server: RouteServer;
let key: KeyFixture;
let partnerCode: string;
let adminTeamId: string;
let limiterPool: Pool;
/** The answers the mapping tests build on, by file. */
const answers = new Map<string, { documentId: string; events: Intake }>();

beforeAll(async () => {
  flow = await openFlow('ct_test_samples_http');
  // The routes use the process's own client, created on first use: point it at this database.
  process.env.DATABASE_URL = flow.url;
  // The rate limiter on a pool this file ends before its database is dropped.
  const { ApiRateLimiter, rateLimitConfigFromEnv, useApiRateLimiter } =
    await import('../../server/lib/rate-limit');
  limiterPool = new Pool({ connectionString: flow.url, max: 2 });
  limiterPool.on('error', () => undefined);
  useApiRateLimiter(new ApiRateLimiter(limiterPool, rateLimitConfigFromEnv({})));
  const [{ POST: edi }, { POST: epcis }] = await Promise.all([
    import('../../app/api/v1/edi/route'),
    import('../../app/api/v1/epcis/route'),
  ]);
  server = await serveRoutes({ 'POST /api/v1/edi': edi, 'POST /api/v1/epcis': epcis });
  key = await createApiKey(flow.db, { partnerId: flow.partnerId, siteIds: [flow.world.siteId] });
  await flow.db.apiKey.update({
    where: { id: key.id },
    data: { canSendEdi: true, canSendEpcis: true },
  });
  partnerCode = (await flow.db.partner.findUniqueOrThrow({ where: { id: flow.partnerId } })).code;
  const team = await flow.db.team.upsert({
    where: { siteId_kind: { siteId: flow.world.siteId, kind: 'ADMIN' } },
    create: { siteId: flow.world.siteId, kind: 'ADMIN', name: 'Admins' },
    update: {},
  });
  adminTeamId = team.id;
});

afterAll(async () => {
  await server?.close();
  const { prisma } = await import('../../server/db/client');
  await prisma.$disconnect();
  await limiterPool?.end();
  if (flow) await closeFlow(flow);
});

interface Orphan {
  eventId: string;
  exceptionId: string;
  unmatched: string[];
}

interface Intake {
  accepted: number;
  heldBack: string[];
  orphans: Orphan[];
}

interface X12Answer {
  documentId: string;
  envelope: {
    sets: { controlNumber: string; status: string; taken: boolean; read: string | null }[];
  };
  events: Intake;
  unresolved: { kind: string; value: string }[];
  ack997: string;
  ta1: string | null;
}

async function post(path: string, body: string, contentType: string) {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: key.authorization, 'content-type': contentType },
    body,
  });

  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function sendX12(body: string): Promise<X12Answer> {
  const answer = await post('/api/v1/edi', body, 'application/edi-x12');
  expect(answer.status).toBe(200);
  const interchanges = answer.body.interchanges as X12Answer[];
  expect(interchanges).toHaveLength(1);

  return interchanges[0]!;
}

function akLines(ack997: string): string[] {
  return ack997.split('~').filter((s) => /^AK[59]/.test(s));
}

/** "location 1 EDI SOURCE" -> the whole sentence the orphan carries for our partner. */
function missing(what: string, mapping: string): string {
  return `${what} of partner ${partnerCode} has no ${mapping} mapping`;
}

const location = (value: string) => missing(`location ${value}`, 'location');
const gtin = (value: string) => missing(`GTIN ${value}`, 'SKU');
const partnerId = (value: string) => missing(`partner id ${value}`, 'partner id');
const carrier = (value: string) => missing(`carrier ${value}`, 'carrier');

async function expectOrphans(intake: Intake, held: string[], misses: string[]) {
  expect(intake.accepted).toBe(0);
  expect(intake.heldBack.map((id) => id.replace(/^.*[:-]/, ''))).toEqual(held);
  expect(new Set(intake.orphans.flatMap((o) => o.unmatched))).toEqual(new Set(misses));
  const rows = await flow.db.exception.findMany({
    where: { id: { in: intake.orphans.map((o) => o.exceptionId) } },
  });
  expect(rows).toHaveLength(held.length);
  for (const row of rows) {
    expect(row).toMatchObject({
      type: 'ORPHAN_EVENT',
      status: 'OPEN',
      ownerTeam: 'ADMIN',
      siteId: flow.world.siteId,
      teamId: adminTeamId,
    });
    const orphan = intake.orphans.find((o) => o.exceptionId === row.id)!;
    expect(row.title).toContain(`from partner ${partnerCode} waits: `);
    for (const text of orphan.unmatched) {
      expect(row.title).toContain(text.replace(` of partner ${partnerCode}`, ''));
    }
  }
}

interface X12Case {
  file: string;
  read: () => string;
  ak: string[];
  /** The event id suffix of each held event (type), in order. */
  held: string[];
  misses: () => string[];
  unresolvedOnly?: string[];
  ta1?: boolean;
}

const X12_CASES: X12Case[] = [
  {
    file: 'node-x12-856',
    read: () => fixture('x12/node-x12-856.edi'),
    ak: ['AK5*A', 'AK9*A*1*1*1'],
    held: ['PICK_COMPLETED', 'PACKED_STAGED'],
    misses: () => [location('1 EDI SOURCE'), gtin('00999999310145'), gtin('00999999311746')],
  },
  {
    file: 'ediengine-940',
    read: () => fixture('x12/ediengine-940.edi'),
    ak: ['AK5*A', 'AK9*A*1*1*1'],
    held: ['ORDER_RELEASED'],
    misses: () => [
      location('0000000000140'),
      gtin('00000100000010'),
      gtin('00000000000220'),
      gtin('00000000000330'),
      partnerId('0000000000001'),
      location('00000001'),
    ],
  },
  {
    file: 'ediengine-856-crossdock',
    read: () => fixture('x12/ediengine-856-crossdock.edi'),
    ak: ['AK5*A', 'AK9*A*1*1*1'],
    held: ['PICK_COMPLETED', 'PACKED_STAGED', 'PICK_COMPLETED', 'PACKED_STAGED'],
    misses: () => [
      location('000009'),
      gtin('00000000000642'),
      gtin('00000000000831'),
      gtin('00000000000283'),
      gtin('00000000000203'),
    ],
  },
  {
    file: 'omniparser-canadapost-214',
    read: () => fixture('x12/omniparser-canadapost-214.edi'),
    ak: [...Array<string>(19).fill('AK5*A'), 'AK9*A*19*19*19'],
    held: ['DELIVERED', ...Array<string>(7).fill('DEPARTED')],
    misses: () => [location('00602679321'), carrier('CPCC')],
  },
  {
    file: 'own-214-pod',
    read: () => fixture('x12/own-214-pod.edi'),
    ak: ['AK5*A', 'AK9*A*1*1*1'],
    held: ['DEPARTED', 'ARRIVED', 'DELIVERED'],
    misses: () => [location('CTW-DAL1'), carrier('ODFL')],
  },
  {
    file: 'own-945',
    read: () => fixture('x12/own-945.edi'),
    ak: ['AK5*A', 'AK9*A*1*1*1'],
    held: ['PICK_COMPLETED', 'PACKED_STAGED', 'DEPARTED'],
    misses: () => [
      location('CTW-DAL1'),
      gtin('00044120005511'),
      gtin('00044120007829'),
      carrier('ODFL'),
    ],
  },
  {
    file: 'own-940-crlf (the Simplot shape: GE02 and IEA02 wrong)',
    read: () => fixture('x12/own-940-crlf.edi'),
    ak: ['AK5*A', 'AK9*E*1*1*1*4'],
    ta1: true,
    held: ['ORDER_RELEASED'],
    misses: () => [
      location('CTW-DAL1'),
      gtin('10044120005511'),
      gtin('10044120007829'),
      partnerId('0441200000009'),
      location('NSG-0042'),
    ],
  },
  {
    file: 'own-990',
    read: () => fixture('x12/own-990.edi'),
    ak: ['AK5*A', 'AK5*A', 'AK9*A*2*2*2'],
    held: [],
    misses: () => [],
    unresolvedOnly: ['CARRIER ODFL'],
  },
  {
    file: 'own-rail-210',
    read: () => fixture('x12/own-rail-210.edi'),
    ak: ['AK5*A', 'AK9*A*1*1*1'],
    held: [],
    misses: () => [],
    unresolvedOnly: ['CARRIER PRRX'],
  },
  {
    file: 'stupidedi-204-load-tender',
    read: () => fixture('x12/stupidedi-204-load-tender.edi'),
    ak: ['AK5*A', 'AK9*A*1*1*1'],
    held: [],
    misses: () => [],
    unresolvedOnly: [],
  },
];

describe('every X12 sample over HTTP, references matching nothing', () => {
  it.each(X12_CASES)('$file', async (sample) => {
    const answer = await sendX12(sample.read());
    answers.set(sample.file, answer);

    expect(akLines(answer.ack997)).toEqual(sample.ak);
    expect(answer.ta1 !== null).toBe(sample.ta1 ?? false);
    if (sample.unresolvedOnly) {
      expect([...new Set(answer.unresolved.map((u) => `${u.kind} ${u.value}`))]).toEqual(
        sample.unresolvedOnly,
      );
      expect(answer.events).toMatchObject({ accepted: 0, heldBack: [], orphans: [] });
      return;
    }
    await expectOrphans(answer.events, sample.held, sample.misses());
    const held = await flow.db.heldDocumentEvent.findMany({
      where: { documentId: answer.documentId },
    });
    expect(held.map((h) => h.eventId).sort()).toEqual([...answer.events.heldBack].sort());
    expect(held.every((h) => h.releasedAt === null)).toBe(true);
  });

  it('UPS 210: the 997 rejects the first set naming SE01, and the four sound invoices are taken', async () => {
    const answer = await sendX12(fixture('x12/omniparser-ups-210.edi'));

    expect(answer.ack997).toContain('AK2*210*000158669~AK3*SE*48**8~AK4*1*96*7*46~AK5*R*4~');
    expect(akLines(answer.ack997)).toEqual([
      'AK5*R*4',
      'AK5*A',
      'AK5*A',
      'AK5*A',
      'AK5*A',
      'AK9*P*5*5*4',
    ]);
    expect(answer.envelope.sets.map((s) => [s.status, s.taken, s.read])).toEqual([
      ['R', false, null],
      ...Array(4).fill(['A', true, 'INVOICE']),
    ]);
    expect(answer.events).toMatchObject({ accepted: 0, heldBack: [], orphans: [] });
  });

  it('answers a resent file as a duplicate, opening no second orphan', async () => {
    const before = await flow.db.exception.count({ where: { type: 'ORPHAN_EVENT' } });
    const answer = await post('/api/v1/edi', fixture('x12/ediengine-940.edi'), 'text/plain');
    const [again] = answer.body.interchanges as (X12Answer & { duplicate: boolean })[];

    expect(again).toMatchObject({ duplicate: true });
    expect(await flow.db.exception.count({ where: { type: 'ORPHAN_EVENT' } })).toBe(before);
  });
});

describe.skipIf(!sharedAvailable)(`the CDDL originals over HTTP (${SKIP_REASON})`, () => {
  it('CN rail 210: the invoice read, its carrier CNRU named, no event to hold', async () => {
    const answer = await sendX12(shared('x12/oopfactory-cn-rail-210.edi'));

    expect(akLines(answer.ack997)).toEqual(['AK5*A', 'AK9*A*1*1*1']);
    expect(answer.envelope.sets.map((s) => s.read)).toEqual(['INVOICE']);
    expect(answer.unresolved.map((u) => `${u.kind} ${u.value}`)).toEqual(['CARRIER CNRU']);
    expect(answer.events.orphans).toEqual([]);
  });

  it('Simplot 940: the 997 and TA1 name the broken trailers, and the sound set is taken', async () => {
    const answer = await sendX12(shared('x12/oopfactory-simplot-940.edi'));

    expect(akLines(answer.ack997)).toEqual(['AK5*A', 'AK9*E*1*1*1*4']);
    expect(answer.ta1).toContain('~TA1*398161180*111214*1400*E*001~');
    expect(answer.envelope.sets.map((s) => [s.status, s.taken])).toEqual([['A', true]]);
    await expectOrphans(
      answer.events,
      ['ORDER_RELEASED'],
      [
        location('708090'),
        gtin('10071179009894'),
        gtin('10071179017073'),
        partnerId('0377912820000'),
        location('10126290'),
      ],
    );
  });
});

describe('every EPCIS sample over HTTP, references matching nothing', () => {
  it('GS1 9.6.1: both events held, each orphan naming its SGLN and the GLN inside', async () => {
    const answer = await post(
      '/api/v1/epcis',
      fixture('epcis/gs1-example-9.6.1-objectevent-shipping-receiving.jsonld'),
      'application/ld+json',
    );

    expect(answer.status).toBe(200);
    const events = answer.body.events as Intake;
    answers.set('gs1-9.6.1', { documentId: answer.body.documentId as string, events });
    expect(events.heldBack).toHaveLength(2);
    expect(events.orphans.map((o) => o.unmatched)).toEqual([
      [location('urn:epc:id:sgln:0614141.07346.1234 (GLN 0614141073467)')],
      [location('urn:epc:id:sgln:0012345.11111.0 (GLN 0012345111112)')],
    ]);
    await expectOrphans(
      events,
      events.heldBack.map((id) => id.replace(/^.*[:-]/, '')),
      [
        location('urn:epc:id:sgln:0614141.07346.1234 (GLN 0614141073467)'),
        location('urn:epc:id:sgln:0012345.11111.0 (GLN 0012345111112)'),
      ],
    );
  });

  it('GS1 9.6.3: the aggregation held on its business location', async () => {
    const answer = await post(
      '/api/v1/epcis',
      fixture('epcis/gs1-example-9.6.3-aggregationevent.jsonld'),
      'application/ld+json',
    );
    const events = answer.body.events as Intake;

    expect(answer.status).toBe(200);
    expect(events.orphans.map((o) => o.unmatched)).toEqual([
      [location('urn:epc:id:sgln:0614141.00888.0 (GLN 0614141008889)')],
    ]);
  });
});

describe('an admin maps the missing references, and the held events are applied', () => {
  let admin: ReturnType<typeof createCaller>;
  const skuCodes: string[] = [];

  beforeAll(async () => {
    const user = await flow.db.user.create({
      data: {
        email: `${randomUUID()}@example.test`,
        name: 'Admin',
        passwordHash: 'x',
        role: 'ADMIN',
      },
    });
    const context: Context = {
      db: flow.db,
      user: { ...user, allSites: true, siteIds: [] },
      requestId: randomUUID(),
      log: logger('test'),
    };
    admin = createCaller(context);
    await flow.db.unitOfMeasure.upsert({
      where: { code: 'CS' },
      create: { code: 'CS', name: 'Case' },
      update: {},
    });
    for (const name of ['Strudel blueberry', 'Strudel cinnamon', 'Strudel raspberry']) {
      const sku = await flow.db.sku.create({
        data: {
          code: uniqueCode('SKU'),
          name,
          unitPrice: '18.50',
          weightKg: '0.5',
          volumeM3: '0.002',
          units: { create: [{ uomCode: 'CS', factor: '12' }] },
        },
      });
      skuCodes.push(sku.code);
    }
  });

  const map = (kind: MappingKind, externalId: string, target: MappingTarget) =>
    admin.mappings.create({ partnerId: flow.partnerId, kind, externalId, target });

  async function orphanOf(eventId: string) {
    return flow.db.exception.findFirstOrThrow({
      where: { dedupeKey: `orphan:partner:${flow.partnerId}:${eventId}` },
    });
  }

  const the940 = () => answers.get('ediengine-940')!;

  it('a partial mapping leaves the order waiting on the one product still unmapped', async () => {
    const { world } = flow;
    await map('PARTNER_ID', '0000000000001', {
      type: 'CUSTOMER',
      customerCode: world.customerCode,
    });
    await map('LOCATION', '0000000000140', {
      type: 'SITE',
      siteCode: world.siteCode,
      dock: 'D1',
    });
    await map('LOCATION', 'ZZ:00000001', {
      type: 'CUSTOMER_LOCATION',
      customerCode: world.customerCode,
      locationCode: 'DC1',
    });
    await map('SKU', 'VN:000100', { type: 'SKU', skuCode: skuCodes[0]! });
    const created = await map('SKU', '000000000220', {
      type: 'SKU',
      skuCode: skuCodes[1]!,
    });

    expect(created.reapplying).toBe(true);
    expect(await jobsWithKey(flow.db, `reapply:${flow.partnerId}`)).toEqual([
      { task: 'reapply_held_events' },
    ]);
    await drain(flow);
    const [eventId] = the940().events.heldBack;
    const orphan = await orphanOf(eventId!);

    expect(orphan.status).toBe('OPEN');
    expect(orphan.title).toBe(
      `ORDER_RELEASED 538686 from partner ${partnerCode} waits: GTIN 00000000000330 has no SKU mapping`,
    );
    expect(await flow.db.shipmentEvent.count({ where: { documentId: the940().documentId } })).toBe(
      0,
    );
  });

  it('the last mapping releases it: recorded from its document, the orphan resolved, the order created', async () => {
    await map('SKU', 'UA:000000000330', { type: 'SKU', skuCode: skuCodes[2]! });
    await drain(flow);
    const [eventId] = the940().events.heldBack;
    const events = await flow.db.shipmentEvent.findMany({
      where: { documentId: the940().documentId },
    });

    expect(events.map((e) => [e.eventId, e.type, e.source])).toEqual([
      [eventId, 'ORDER_RELEASED', 'EDI'],
    ]);
    expect(await orphanOf(eventId!)).toMatchObject({
      status: 'RESOLVED',
      resolutionCode: 'RESOLVED_BY_FACTS',
    });
    const held = await flow.db.heldDocumentEvent.findFirstOrThrow({ where: { eventId } });
    expect(held.releasedAt).not.toBeNull();
    expect(held.outcome).toMatchObject({ status: 'accepted', id: events[0]!.id });
    const order = await flow.db.order.findFirstOrThrow({
      where: { ref: '538686' },
      include: { lines: { orderBy: { lineNo: 'asc' }, include: { sku: true } } },
    });
    expect(order.lines.map((l) => [l.sku.code, l.quantity.toFixed()])).toEqual([
      [skuCodes[0], '12'],
      [skuCodes[1], '32'],
      [skuCodes[2], '12'],
    ]);
  });

  it('re-applies idempotently: a second re-read records nothing new under the same event id', async () => {
    const [eventId] = the940().events.heldBack;
    // As a crash between the intake and the settling would leave the row.
    await flow.db.heldDocumentEvent.updateMany({ where: { eventId }, data: { releasedAt: null } });
    const before = await flow.db.shipmentEvent.count({ where: { partnerId: flow.partnerId } });
    const summary = await reapplyHeldEvents(flow.db, flow.partnerId);

    expect(summary).toMatchObject({ released: 1 });
    expect(await flow.db.shipmentEvent.count({ where: { partnerId: flow.partnerId } })).toBe(
      before,
    );
    const held = await flow.db.heldDocumentEvent.findFirstOrThrow({ where: { eventId } });
    expect(held.outcome).toMatchObject({ status: 'duplicate' });
    expect(
      await flow.db.exception.count({
        where: { dedupeKey: `orphan:partner:${flow.partnerId}:${eventId}`, status: 'OPEN' },
      }),
    ).toBe(0);
  });

  it('EPCIS: mapping the SGLN it was received at records the delivery, the shipping event still waits', async () => {
    const { documentId, events } = answers.get('gs1-9.6.1')!;
    const [shipping, receiving] = events.heldBack;
    await map('LOCATION', 'urn:epc:id:sgln:0012345.11111.0', {
      type: 'CUSTOMER_LOCATION',
      customerCode: flow.world.customerCode,
      locationCode: 'DC1',
    });
    await drain(flow);
    const recorded = await flow.db.shipmentEvent.findMany({ where: { documentId } });

    expect(recorded.map((e) => [e.eventId, e.type, e.source])).toEqual([
      [receiving, 'DELIVERED', 'EPCIS'],
    ]);
    expect((await orphanOf(receiving!)).status).toBe('RESOLVED');
    expect((await orphanOf(shipping!)).status).toBe('OPEN');
  });

  it('a fix in master data is applied on a re-read asked for by hand; an event still refused keeps its orphan', async () => {
    const { documentId, events } = answers.get('node-x12-856')!;
    const [pick, pack] = events.heldBack;
    await map('LOCATION', '1 EDI SOURCE', {
      type: 'SITE',
      siteCode: flow.world.siteCode,
      dock: 'D2',
    });
    await drain(flow);
    expect((await orphanOf(pick!)).title).toContain(
      'waits: GTIN 00999999310145 has no SKU mapping',
    );
    for (const gtin of ['999999310145', '999999311746']) {
      await flow.db.sku.create({
        data: {
          code: uniqueCode('SKU'),
          name: gtin,
          gtin,
          unitPrice: '4',
          weightKg: '1',
          volumeM3: '0.01',
        },
      });
    }
    expect(await admin.mappings.reapply({ partnerId: flow.partnerId })).toEqual({
      reapplying: true,
    });
    await drain(flow);
    const recorded = await flow.db.shipmentEvent.findMany({ where: { documentId } });

    expect(recorded.map((e) => [e.eventId, e.type])).toEqual([[pick, 'PICK_COMPLETED']]);
    expect((await orphanOf(pick!)).status).toBe('RESOLVED');
    // The notice gives no volume: the canonical schema refuses the stage, and a person must act.
    expect(await orphanOf(pack!)).toMatchObject({
      status: 'OPEN',
      title:
        'PACKED_STAGED 99999817: its references now match, but the intake rejected it: payload.volume is required',
    });
    expect(
      (await flow.db.heldDocumentEvent.findFirstOrThrow({ where: { documentId, eventId: pack } }))
        .outcome,
    ).toMatchObject({ status: 'rejected', issues: [{ path: 'payload.volume' }] });
  });
});
