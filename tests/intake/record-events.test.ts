import { randomUUID } from 'node:crypto';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { PrismaPg } from '@prisma/adapter-pg';
import { createPrisma, type Db } from '../../server/db/client';
import { PrismaClient } from '../../server/db/generated/client';
import { verifyChains, type ChainProblem } from '../../server/domain/audit/verify-chains';
import { payloadHash } from '../../server/domain/events/canonical-json';
import { parseIntakeBody, type EventResult } from '../../server/domain/events/schema';
import { recordEvents } from '../../server/domain/intake/record-events';
import { APPLY_TASK } from '../../server/domain/shipments/apply-job';
import type { IntakeActor, ItemAnswer } from '../../server/domain/intake/record-events.types';
import { createMigratedDatabase, dropDatabase } from '../setup/test-database';
import { createPartnerWorld, createSite } from '../fixtures/partner';
import { event, pick, RELEASE, uid } from './helpers';
import { queuedItems } from '../branches/jobs';

// The intake service on a database of its own, so that the queue it fills is only its own:
// in-batch repeats, a concurrent insert of the same eventId, jobs per shipment reference, and
// events a person records by hand.

let url: string;
let db: Db;
let actor: IntakeActor;
let site: string;
let partnerId: string;

beforeAll(async () => {
  url = await createMigratedDatabase(process.env.CT_ADMIN_DATABASE_URL!, 'ct_intake');
  db = createPrisma(url);
  const world = await createPartnerWorld(db);
  site = world.site.code;
  partnerId = world.partner.id;
  actor = {
    partnerId,
    siteCodes: new Set([site]),
    eventTypes: new Set(['ORDER_RELEASED', 'PICK_COMPLETED', 'PACKED_STAGED']),
  };
});

afterAll(async () => {
  await db.$disconnect();
  await dropDatabase(process.env.CT_ADMIN_DATABASE_URL!, url);
});

function parsed(...events: unknown[]): EventResult[] {
  const body = parseIntakeBody({ events }, { now: new Date() });
  if (body.kind !== 'EVENTS') throw new Error(`not a batch: ${body.kind}`);

  return body.results;
}

const record = (events: unknown[], who = actor) =>
  recordEvents(db, who, parsed(...events), { source: 'API' });
const statuses = (answers: ItemAnswer[]) => answers.map((a) => a.status);

/** The references whose apply is queued, each as often as it is queued. */
async function queuedRefs(): Promise<string[]> {
  const items = await queuedItems<{ ref: string }>(db, APPLY_TASK);

  return items.map((i) => i.ref).sort();
}

describe('recordEvents', () => {
  it('lets the first of two items with one eventId win: the second is a duplicate or a conflict', async () => {
    const first = event({ site });
    const changed = { ...first, payload: { ...(first.payload as object), currency: 'EUR' } };
    const answers = await record([first, first, changed]);

    expect(statuses(answers)).toEqual(['accepted', 'duplicate', 'rejected']);
    expect(answers[1]).toMatchObject({
      id: (answers[0] as { id: string }).id,
      firstOutcome: { status: 'accepted' },
    });
    expect(await db.shipmentEvent.count({ where: { eventId: first.eventId as string } })).toBe(1);
  });

  it('answers a batch in item order, whatever was rejected first', async () => {
    const answers = await record([
      event({ site }),
      { nope: 1 },
      event({ site: 'ELSEWHERE' }),
      pick({ site }),
    ]);

    expect(answers.map((a) => a.index)).toEqual([0, 1, 2, 3]);
    expect(statuses(answers)).toEqual(['accepted', 'rejected', 'rejected', 'accepted']);
  });

  it('enqueues one apply job per shipment reference, none for duplicates or rejections', async () => {
    const [a, b, c] = [uid('SO'), uid('SO'), uid('SO')];
    const repeat = event({ site, orderRef: c });
    await record([repeat]);
    await db.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
    await record([
      event({ site, orderRef: a }),
      pick({ site, orderRef: a }),
      pick({ site, orderRef: b }),
      repeat,
      event({ site: 'ELSEWHERE', orderRef: c }),
    ]);

    expect(await queuedRefs()).toEqual([a, b].sort());
  });

  it('answers an eventId that a concurrent request committed meanwhile as a duplicate', async () => {
    const sent = event({ site });
    const [result] = parsed(sent);
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    await other.query('BEGIN');
    // The same row the service would write, committed by "another request" while ours waits.
    await other.query(
      `INSERT INTO shipment_events (id, partner_id, event_id, type, source, occurred_at, order_ref, payload, payload_hash)
       VALUES (gen_random_uuid(), $1, $2, 'ORDER_RELEASED', 'API', now(), $3, '{}', $4)`,
      [partnerId, sent.eventId, sent.orderRef, result!.ok ? payloadHash(result!.event) : ''],
    );
    const pending = recordEvents(db, actor, [result!], { source: 'API' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await other.query('COMMIT');
    await other.end();

    expect(statuses(await pending)).toEqual(['duplicate']);
  });

  it('writes concurrent requests together, each answered for its own events', async () => {
    const keyed: IntakeActor = { ...actor, keyId: 'key-coalesce-1' };
    const shared = event({ site });
    const changed = { ...shared, payload: { ...RELEASE, currency: 'EUR' } };
    const singles = Array.from({ length: 30 }, () => event({ site }));
    // More requests at once than the writer runs statements, so that some wait and share one;
    // the same eventId arrives in three of them, once with other content.
    const sent = [...singles.map((e) => [e]), [shared], [shared], [changed]];
    const answers = await Promise.all(
      sent.map((events, n) =>
        recordEvents(db, keyed, parsed(...events), { source: 'API', requestId: `req-co-${n}` }),
      ),
    );

    const own = answers.slice(0, singles.length);
    expect(own.map((a) => a.map((x) => [x.eventId, x.status]))).toEqual(
      singles.map((e) => [[e.eventId, 'accepted']]),
    );
    const repeats = answers.slice(singles.length).flat();
    const sameContent = repeats.slice(0, 2).map((a) => a.status);
    expect(sameContent.sort()).toEqual(
      repeats[2]!.status === 'accepted' ? ['rejected', 'rejected'] : ['accepted', 'duplicate'],
    );
    const ids = own.flat().map((a) => (a as { id: string }).id);
    const audit = await db.auditLog.findMany({ where: { entityId: { in: ids } } });
    expect(new Map(audit.map((r) => [r.entityId, r.requestId]))).toEqual(
      new Map(ids.map((id, n) => [id, `req-co-${n}`])),
    );
    const refs = new Set(await queuedRefs());
    for (const e of singles) expect(refs.has(e.orderRef as string)).toBe(true);
  });

  it('fails only the request whose write fails when requests are written together', async () => {
    const good = Array.from({ length: 12 }, () => event({ site }));
    const bad = event({ site });
    // An inbound document that does not exist: its foreign key fails the statement it is in.
    const results = await Promise.allSettled([
      ...good.map((e) => record([e])),
      recordEvents(db, actor, parsed(bad), { source: 'API', documentId: randomUUID() }),
      ...good.map(() => record([event({ site })])),
    ]);

    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(results[good.length]!.status).toBe('rejected');
    expect(await db.shipmentEvent.count({ where: { eventId: bad.eventId as string } })).toBe(0);
    expect(
      await db.shipmentEvent.count({
        where: { eventId: { in: good.map((e) => e.eventId as string) } },
      }),
    ).toBe(good.length);
  });

  it('takes two batches of the same events in opposite orders at once without a deadlock', async () => {
    for (let round = 0; round < 5; round += 1) {
      const events = Array.from({ length: 200 }, () => event({ site }));
      const answers = await Promise.all([record(events), record([...events].reverse())]);
      const byId = new Map<string, string[]>();
      for (const { eventId, status } of answers.flat()) {
        const key = eventId ?? '(none)';
        byId.set(key, [...(byId.get(key) ?? []), status].sort());
      }
      expect(new Set([...byId.values()].map((s) => s.join()))).toEqual(
        new Set(['accepted,duplicate']),
      );
    }
  });

  it('audits events a person records by hand, and keeps them idempotent without a partner', async () => {
    const user = await db.user.create({
      data: {
        email: `${uid('sup')}@example.test`,
        name: 'Sup',
        passwordHash: 'x',
        role: 'WAREHOUSE_SUPERVISOR',
      },
    });
    const extra = await createSite(db);
    const byHand: IntakeActor = {
      partnerId: null,
      siteCodes: new Set([site, extra.code]),
      eventTypes: actor.eventTypes,
    };
    const staged = event({ site, type: 'PACKED_STAGED' });
    const options = { source: 'UI' as const, userId: user.id, requestId: 'req-ui-1' };
    const [first] = await recordEvents(db, byHand, parsed(staged), options);
    const [again] = await recordEvents(db, byHand, parsed(staged), options);

    expect(first).toMatchObject({ status: 'accepted' });
    expect(again).toMatchObject({ status: 'duplicate' });
    const audit = await db.auditLog.findMany({ where: { actorId: user.id } });
    expect(audit).toEqual([
      expect.objectContaining({
        entityType: 'shipment_event',
        entityId: (first as { id: string }).id,
        action: 'event.recorded',
        actorType: 'USER',
        requestId: 'req-ui-1',
      }),
    ]);
    expect(
      await db.shipmentEvent.findFirst({ where: { eventId: staged.eventId as string } }),
    ).toMatchObject({ partnerId: null, userId: user.id, source: 'UI' });
  });

  it('audits every accepted partner event in the same statement, with rows whose hashes verify', async () => {
    const first = event({ site });
    const keyed: IntakeActor = { ...actor, keyId: 'key-audit-1' };
    const answers = await recordEvents(db, keyed, parsed(first, pick({ site }), { nope: 1 }), {
      source: 'API',
      requestId: 'req-audit-1',
    });
    await recordEvents(db, keyed, parsed(first), { source: 'API' });

    const ids = answers.flatMap((a) => (a.status === 'accepted' ? [a.id] : []));
    expect(ids).toHaveLength(2);
    const audit = await db.auditLog.findMany({ where: { entityId: { in: ids } } });
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({
      entityType: 'shipment_event',
      seq: 1,
      action: 'event.recorded',
      actorType: 'PARTNER',
      actorId: partnerId,
      requestId: 'req-audit-1',
      prevHash: null,
      data: expect.objectContaining({ source: 'API', keyId: 'key-audit-1', site }),
    });
    const problems: ChainProblem[] = [];
    await verifyChains(db, (problem) => problems.push(problem));
    expect(problems).toEqual([]);
  });

  it('writes the same rows through a client without an exposed pool (Prisma raw queries)', async () => {
    const other = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
    try {
      const sent = event({ site });
      const [first] = await recordEvents(other as unknown as Db, actor, parsed(sent), {
        source: 'API',
      });
      const [again] = await recordEvents(other as unknown as Db, actor, parsed(sent), {
        source: 'API',
      });

      expect(first).toMatchObject({ status: 'accepted' });
      expect(again).toMatchObject({ status: 'duplicate', id: (first as { id: string }).id });
      expect(await db.auditLog.count({ where: { entityId: (first as { id: string }).id } })).toBe(
        1,
      );
      expect(await queuedRefs()).toContain(sent.orderRef as string);
    } finally {
      await other.$disconnect();
    }
  });
});
