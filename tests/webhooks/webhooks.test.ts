import { randomUUID } from 'node:crypto';
import { runOnce } from 'graphile-worker';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../server/db/client';
import {
  deliverOutbox,
  deliverOutboxTogether,
} from '../../server/domain/integration/deliver-outbox';
import {
  ERP_RECORD_TOPIC,
  publishShipmentRecord,
  type ShipmentRecordMessage,
} from '../../server/domain/integration/publish-shipment-record';
import { attemptDelivery } from '../../server/domain/integration/webhooks/deliver-webhook';
import { replayDeliveries } from '../../server/domain/integration/webhooks/replay';
import {
  createSubscription,
  deleteSubscription,
  pauseSubscription,
  resumeSubscription,
  rotateSecret,
} from '../../server/domain/integration/webhooks/subscriptions';
import { createTaskList } from '../../server/jobs/tasks';
import { queueLogger } from '../../server/jobs/queue-logger';
import { createApiKey, createPartner } from '../fixtures/partner';
import { createReadyShipment, createWorld } from '../fixtures/world';
import { createMigratedDatabase, dropDatabase } from '../setup/test-database';
import { startReceiver, type TestReceiver } from './receiver';

// Outbound webhooks end to end against a real HTTP receiver on this machine and a database of
// this file's own (so that no other test's worker runs these deliveries): the outbox message
// fans out into deliveries, the real worker sends them, the receiver checks every signature,
// failures retry with backoff and end as dead letters, a replay is delivered under the same id.

let url = '';
let db: Db;
let receiver: TestReceiver;
let partnerId = '';
const admin = { userId: randomUUID(), requestId: 'test' };

beforeAll(async () => {
  url = await createMigratedDatabase(process.env.CT_ADMIN_DATABASE_URL!, 'ct_webhooks');
  db = createPrisma(url, 4);
  receiver = await startReceiver();
  // The ERP hears about every site (deliver-outbox.ts); other partners' scope is tested below.
  partnerId = (
    await db.partner.create({
      data: { code: `ERP-${randomUUID().slice(0, 6)}`, name: 'ERP', kind: 'ERP' },
    })
  ).id;
});

afterAll(async () => {
  await receiver.close();
  await db.$disconnect();
  await dropDatabase(process.env.CT_ADMIN_DATABASE_URL!, url);
});

beforeEach(async () => {
  // One subscription at a time: each test's messages go to its own subscription only.
  const live = await db.webhookSubscription.findMany({ where: { deletedAt: null } });
  for (const s of live) await deleteSubscription(db, admin, s.id);
  receiver.mode = { kind: 'ok' };
});

async function subscribe(options: { maxAttempts?: number; timeoutMs?: number; to?: string } = {}) {
  const created = await createSubscription(db, admin, {
    partnerId,
    name: `ERP ${randomUUID().slice(0, 8)}`,
    url: options.to ?? receiver.url,
    topics: [ERP_RECORD_TOPIC],
    maxAttempts: options.maxAttempts ?? 10,
    timeoutMs: options.timeoutMs ?? 10_000,
  });
  receiver.secrets = [created.secret];

  return created;
}

/** A message as the outbox holds it, dispatched to the subscriptions of its topic. */
async function dispatchedMessage() {
  const id = randomUUID();
  await db.outboxMessage.create({
    data: { id, topic: ERP_RECORD_TOPIC, aggregateId: randomUUID(), payload: { sequence: 1 } },
  });
  await deliverOutbox(db, id);
  const [delivery] = await db.webhookDelivery.findMany({ where: { messageId: id } });

  return { messageId: id, deliveryId: delivery!.id };
}

async function runWorker() {
  await runOnce({ connectionString: url, taskList: createTaskList(db), logger: queueLogger });
}

async function jobOf(deliveryId: string) {
  const rows = await db.$queryRaw<{ run_at: Date; task: string }[]>`
    SELECT run_at, task_identifier AS task FROM graphile_worker.jobs
    WHERE key = ${`deliver_webhook:${deliveryId}`}`;

  return rows[0] ?? null;
}

const sentTo = (deliveryId: string) => receiver.received.filter((r) => r.id === deliveryId);

describe('a shipment record to a subscribed receiver', () => {
  it('is fanned out, sent by the worker, signed, and applied once under its delivery id', async () => {
    const subscription = await subscribe();
    const world = await createWorld(db);
    const s = await createReadyShipment(db, world);
    const published = await publishShipmentRecord(db, s.shipmentId);
    if (published.status !== 'queued') throw new Error('nothing was published');

    await runWorker();

    const [delivery] = await db.webhookDelivery.findMany({
      where: { messageId: published.outboxId },
      include: { attemptLog: true },
    });
    expect(delivery).toMatchObject({
      subscriptionId: subscription.id,
      topic: ERP_RECORD_TOPIC,
      status: 'DELIVERED',
      attempts: 1,
    });
    expect(delivery!.attemptLog).toEqual([
      expect.objectContaining({
        number: 1,
        outcome: 'SUCCESS',
        statusCode: 200,
        errorExcerpt: null,
      }),
    ]);
    const [sent] = sentTo(delivery!.id);
    expect(sent!.signatureValid).toBe(true);
    const envelope = JSON.parse(sent!.body) as {
      type: string;
      version: number;
      messageId: string;
      data: ShipmentRecordMessage;
    };
    expect(envelope).toMatchObject({
      type: ERP_RECORD_TOPIC,
      version: 1,
      messageId: published.outboxId,
      data: {
        type: 'SHIPMENT_RECORD_UPDATED',
        sequence: 1,
        shipment: { ref: s.ref, status: 'READY' },
      },
    });
    expect(Math.abs(Number(sent!.timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(receiver.applied.get(delivery!.id)).toBe(sent!.body);
    const message = await db.outboxMessage.findUniqueOrThrow({ where: { id: published.outboxId } });
    expect(message.deliveredAt).not.toBeNull();
  });

  it('fans out once per live subscription; a paused one waits without a job, a rerun adds nothing', async () => {
    const active = await subscribe();
    const paused = await subscribe();
    await pauseSubscription(db, admin, paused.id);
    const gone = await subscribe();
    await deleteSubscription(db, admin, gone.id);
    const other = await createSubscription(db, admin, {
      partnerId,
      name: 'elsewhere',
      url: receiver.url,
      topics: [ERP_RECORD_TOPIC],
      maxAttempts: 3,
      timeoutMs: 5_000,
    });
    await pauseSubscription(db, admin, other.id);
    await deleteSubscription(db, admin, other.id);
    const id = randomUUID();
    await db.outboxMessage.create({
      data: { id, topic: ERP_RECORD_TOPIC, aggregateId: randomUUID(), payload: {} },
    });

    const first = await deliverOutbox(db, id);
    const again = await deliverOutbox(db, id);

    expect(first).toEqual({ status: 'dispatched', deliveries: 2, queued: 1 });
    expect(again).toEqual({ status: 'already_dispatched' });
    const deliveries = await db.webhookDelivery.findMany({ where: { messageId: id } });
    const bySubscription = new Map(deliveries.map((d) => [d.subscriptionId, d]));
    expect([...bySubscription.keys()].sort()).toEqual([active.id, paused.id].sort());
    expect(await jobOf(bySubscription.get(active.id)!.id)).toMatchObject({
      task: 'deliver_webhook',
    });
    expect(await jobOf(bySubscription.get(paused.id)!.id)).toBeNull();

    // Resumed, the waiting delivery gets its job and goes out.
    receiver.secrets = [active.secret, paused.secret];
    expect(await resumeSubscription(db, admin, paused.id)).toEqual({ resumed: 1 });
    await runWorker();
    const after = await db.webhookDelivery.findMany({ where: { messageId: id } });
    expect(after.map((d) => d.status)).toEqual(['DELIVERED', 'DELIVERED']);
    for (const d of after) expect(sentTo(d.id).map((r) => r.signatureValid)).toEqual([true]);
  });
});

describe('a failing receiver', () => {
  it('gets retries with growing, jittered delays, then a dead letter; a replay is delivered once', async () => {
    await subscribe({ maxAttempts: 3 });
    const { deliveryId } = await dispatchedMessage();
    receiver.mode = { kind: 'fail', status: 503 };
    const now = new Date('2030-01-01T00:00:00Z');
    const clock = { now: () => now, random: () => 0.5 };

    const first = await attemptDelivery(db, deliveryId, clock);
    const firstJob = await jobOf(deliveryId);
    const second = await attemptDelivery(db, deliveryId, clock);
    const secondJob = await jobOf(deliveryId);
    const third = await attemptDelivery(db, deliveryId, clock);

    // 15 s base, equal jitter at 0.5: 0.75 of each doubling step.
    expect(first).toMatchObject({ status: 'retry_scheduled', attempt: 1 });
    expect(firstJob?.run_at.getTime()).toBe(now.getTime() + 11_250);
    expect(second).toMatchObject({ status: 'retry_scheduled', attempt: 2 });
    expect(secondJob?.run_at.getTime()).toBe(now.getTime() + 22_500);
    expect(third).toMatchObject({ status: 'dead', attempt: 3 });
    expect(await jobOf(deliveryId)).toBeNull();
    const dead = await db.webhookDelivery.findUniqueOrThrow({
      where: { id: deliveryId },
      include: { attemptLog: { orderBy: { number: 'asc' } } },
    });
    expect(dead).toMatchObject({ status: 'DEAD', attempts: 3, lastStatusCode: 503 });
    expect(dead.lastError).toBe('HTTP 503: receiver is down');
    expect(dead.attemptLog.map((a) => [a.number, a.outcome, a.statusCode])).toEqual([
      [1, 'HTTP_ERROR', 503],
      [2, 'HTTP_ERROR', 503],
      [3, 'HTTP_ERROR', 503],
    ]);
    expect(dead.attemptLog.every((a) => a.latencyMs >= 0 && a.latencyMs < 5_000)).toBe(true);
    const failedSends = sentTo(deliveryId);
    expect(failedSends.map((r) => r.signatureValid)).toEqual([true, true, true]);
    expect(new Set(failedSends.map((r) => r.body)).size).toBe(1);
    expect(receiver.applied.has(deliveryId)).toBe(false);
    const alert = await db.exception.findFirstOrThrow({
      where: { dedupeKey: `webhook-dead:${dead.subscriptionId}` },
    });
    expect(alert).toMatchObject({ type: 'FAILED_JOB', ownerTeam: 'ADMIN', status: 'OPEN' });
    expect(alert.title).toMatch(/^1 webhook deliveries to ERP .* are dead letters: HTTP 503/);

    // The receiver is back: a replay goes out under the same id and is applied, once.
    receiver.mode = { kind: 'ok' };
    expect(await replayDeliveries(db, admin, [deliveryId])).toEqual({
      replayed: [deliveryId],
      skipped: [],
    });
    await runWorker();
    const replayed = await db.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
    expect(replayed).toMatchObject({
      status: 'DELIVERED',
      attempts: 4,
      roundAttempts: 1,
      replays: 1,
    });
    expect(receiver.applied.get(deliveryId)).toBe(failedSends[0]!.body);
    expect(await db.exception.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({
      status: 'RESOLVED',
      resolutionCode: 'RESOLVED_BY_FACTS',
    });

    // Sent again on request, it is the same delivery to the receiver, which drops the repeat.
    await replayDeliveries(db, admin, [deliveryId]);
    await runWorker();
    expect(sentTo(deliveryId)).toHaveLength(5);
    expect(receiver.repeats.get(deliveryId)).toBe(1);
    expect([...receiver.applied.keys()].filter((k) => k === deliveryId)).toHaveLength(1);
  });

  it('replays many dead letters at once and names what it skipped', async () => {
    const subscription = await subscribe({ maxAttempts: 1 });
    receiver.mode = { kind: 'fail', status: 500 };
    const a = await dispatchedMessage();
    const b = await dispatchedMessage();
    await runWorker();
    const waiting = await dispatchedMessage();
    await pauseSubscription(db, admin, subscription.id);
    const statuses = await db.webhookDelivery.findMany({
      where: { id: { in: [a.deliveryId, b.deliveryId] } },
      select: { status: true },
    });
    expect(statuses.map((s) => s.status)).toEqual(['DEAD', 'DEAD']);
    receiver.mode = { kind: 'ok' };
    await resumeSubscription(db, admin, subscription.id);

    const result = await replayDeliveries(db, admin, [
      a.deliveryId,
      b.deliveryId,
      waiting.deliveryId,
      randomUUID(),
    ]);
    await runWorker();

    expect(result.replayed.sort()).toEqual([a.deliveryId, b.deliveryId].sort());
    expect(result.skipped.map((s) => s.reason)).toEqual([
      'already waiting to be sent',
      'not found',
    ]);
    for (const id of [a.deliveryId, b.deliveryId, waiting.deliveryId]) {
      expect(receiver.applied.has(id)).toBe(true);
    }
    const audit = await db.auditLog.findMany({
      where: { entityType: 'WebhookDelivery', action: 'webhook-delivery.replayed' },
      select: { entityId: true },
    });
    expect(audit.map((r) => r.entityId)).toEqual(expect.arrayContaining(result.replayed));
  });

  it('refuses a replay of a deleted subscription and cancels its waiting deliveries', async () => {
    const subscription = await subscribe();
    await pauseSubscription(db, admin, subscription.id);
    const { deliveryId } = await dispatchedMessage();

    await deleteSubscription(db, admin, subscription.id);

    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject(
      {
        status: 'CANCELLED',
      },
    );
    await expect(replayDeliveries(db, admin, [deliveryId])).rejects.toThrow(
      /its subscription was deleted/,
    );
  });
});

describe('a slow or unreachable receiver', () => {
  it('times out after the subscription timeout and counts it as a failed attempt', async () => {
    await subscribe({ timeoutMs: 1_000, maxAttempts: 5 });
    const { deliveryId } = await dispatchedMessage();
    receiver.mode = { kind: 'slow', ms: 3_000 };

    const outcome = await attemptDelivery(db, deliveryId);

    expect(outcome).toMatchObject({
      status: 'retry_scheduled',
      result: { outcome: 'TIMEOUT', statusCode: null, excerpt: 'no answer within 1000 ms' },
    });
    const [attempt] = await db.webhookAttempt.findMany({ where: { deliveryId } });
    expect(attempt!.latencyMs).toBeGreaterThanOrEqual(990);
    expect(attempt!.latencyMs).toBeLessThan(2_500);
  });

  it('logs an attempt in flight when its subscription is deleted, and sends nothing more', async () => {
    const subscription = await subscribe({ timeoutMs: 5_000 });
    const { deliveryId } = await dispatchedMessage();
    receiver.mode = { kind: 'slow', ms: 1_000 };

    const inFlight = attemptDelivery(db, deliveryId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await deleteSubscription(db, admin, subscription.id);
    const outcome = await inFlight;

    expect(outcome).toEqual({ status: 'skipped', reason: 'NOT_PENDING' });
    const row = await db.webhookDelivery.findUniqueOrThrow({
      where: { id: deliveryId },
      include: { attemptLog: true },
    });
    expect(row).toMatchObject({ status: 'CANCELLED', deliveredAt: null });
    expect(row.attemptLog.map((a) => a.outcome)).toEqual(['SUCCESS']);
    expect(await jobOf(deliveryId)).toBeNull();
  });

  it('logs a refused connection as a network error', async () => {
    const closed = await startReceiver();
    await closed.close();
    await subscribe({ to: closed.url });
    const { deliveryId } = await dispatchedMessage();

    const outcome = await attemptDelivery(db, deliveryId);

    expect(outcome).toMatchObject({
      status: 'retry_scheduled',
      result: { outcome: 'NETWORK_ERROR' },
    });
    expect(
      (await db.webhookAttempt.findFirstOrThrow({ where: { deliveryId } })).errorExcerpt,
    ).toMatch(/ECONNREFUSED/);
  });
});

describe('secret rotation', () => {
  it('signs with the new and the previous secret for a day, so either copy verifies', async () => {
    const subscription = await subscribe();
    const old = subscription.secret;
    const rotated = await rotateSecret(db, admin, subscription.id);
    const { deliveryId } = await dispatchedMessage();

    receiver.secrets = [old];
    await runWorker();
    const signedBoth = sentTo(deliveryId)[0]!;
    expect(signedBoth.signatureValid).toBe(true);
    expect(signedBoth.signature.split(' ')).toHaveLength(2);
    expect(rotated.secret).not.toBe(old);
    expect(rotated.previousSecretUntil.getTime() - Date.now()).toBeGreaterThan(23 * 3600_000);
    // A second rotation inside the overlap would cut off receivers still holding the first secret.
    await expect(rotateSecret(db, admin, subscription.id)).rejects.toMatchObject({
      code: 'CONFLICT',
    });

    // Once the overlap is over, only the new secret signs: the old copy no longer verifies.
    await db.webhookSubscription.update({
      where: { id: subscription.id },
      data: { previousSecretUntil: new Date(Date.now() - 1) },
    });
    const later = await dispatchedMessage();
    await runWorker();
    expect(sentTo(later.deliveryId)[0]!.signatureValid).toBe(false);
    receiver.secrets = [rotated.secret];
    expect(await attemptDelivery(db, later.deliveryId)).toMatchObject({ status: 'delivered' });
    expect(receiver.applied.has(later.deliveryId)).toBe(true);
  });
});

/**
 * Two sites; a carrier partner whose key covers the first only, and the ERP: a subscription
 * each to the shipment record and exception.opened.
 */
async function scopedSubscriptions() {
  const world = await createWorld(db);
  const other = await createWorld(db);
  const site = await db.site.findUniqueOrThrow({ where: { id: world.siteId } });
  const otherSite = await db.site.findUniqueOrThrow({ where: { id: other.siteId } });
  const carrier = await createPartner(db);
  await createApiKey(db, { partnerId: carrier.id, siteIds: [site.id] });
  const subscriptionOf = async (partner: string) =>
    (
      await createSubscription(db, admin, {
        partnerId: partner,
        name: `scope ${randomUUID().slice(0, 8)}`,
        url: receiver.url,
        topics: [ERP_RECORD_TOPIC, 'exception.opened'],
        maxAttempts: 3,
        timeoutMs: 5_000,
      })
    ).id;

  return {
    site,
    otherSite,
    carrierSub: await subscriptionOf(carrier.id),
    erpSub: await subscriptionOf(partnerId),
  };
}

describe('who hears what', () => {
  it("sends a partner only the messages of its keys' sites, the ERP every site, nobody a site-less exception", async () => {
    const { site, otherSite, carrierSub, erpSub } = await scopedSubscriptions();
    const send = async (topic: string, siteCode: string | null) => {
      const id = randomUUID();
      // The shipment record names its site inside the shipment, the other events at the top.
      const payload = topic === ERP_RECORD_TOPIC ? { shipment: { siteCode } } : { siteCode };
      await db.outboxMessage.create({ data: { id, topic, aggregateId: randomUUID(), payload } });
      await deliverOutbox(db, id);
      const deliveries = await db.webhookDelivery.findMany({ where: { messageId: id } });

      return deliveries.map((d) => d.subscriptionId).sort();
    };

    expect(await send(ERP_RECORD_TOPIC, site.code)).toEqual([carrierSub, erpSub].sort());
    expect(await send(ERP_RECORD_TOPIC, otherSite.code)).toEqual([erpSub]);
    expect(await send('exception.opened', site.code)).toEqual([carrierSub, erpSub].sort());
    expect(await send('exception.opened', null)).toEqual([]);
  });
});

describe('a batch of messages', () => {
  it('is dispatched together as each would be alone: its fan-out, jobs and outcome', async () => {
    const { site, otherSite, carrierSub, erpSub } = await scopedSubscriptions();
    await pauseSubscription(db, admin, carrierSub);
    const message = async (topic: string, siteCode: string | null) => {
      const id = randomUUID();
      const payload = topic === ERP_RECORD_TOPIC ? { shipment: { siteCode } } : { siteCode };
      await db.outboxMessage.create({ data: { id, topic, aggregateId: randomUUID(), payload } });

      return id;
    };
    const both = await message(ERP_RECORD_TOPIC, site.code);
    const erpOnly = await message(ERP_RECORD_TOPIC, otherSite.code);
    const nobody = await message('exception.opened', null);
    const done = await message('exception.opened', site.code);
    await deliverOutbox(db, done);
    const unknown = randomUUID();

    const outcomes = await deliverOutboxTogether(db, [both, erpOnly, nobody, done, unknown, both]);

    expect(Object.fromEntries(outcomes)).toEqual({
      // The carrier's subscription is paused: its delivery waits without a job.
      [both]: { status: 'dispatched', deliveries: 2, queued: 1 },
      [erpOnly]: { status: 'dispatched', deliveries: 1, queued: 1 },
      [nobody]: { status: 'dispatched', deliveries: 0, queued: 0 },
      [done]: { status: 'already_dispatched' },
      [unknown]: { status: 'not_found' },
    });
    const subscriptionsOf = async (id: string) =>
      (await db.webhookDelivery.findMany({ where: { messageId: id } }))
        .map((d) => d.subscriptionId)
        .sort();
    expect(await subscriptionsOf(both)).toEqual([carrierSub, erpSub].sort());
    expect(await subscriptionsOf(erpOnly)).toEqual([erpSub]);
    expect(await subscriptionsOf(done)).toEqual([carrierSub, erpSub].sort());
    const erpDeliveries = await db.webhookDelivery.findMany({
      where: { messageId: { in: [both, erpOnly] }, subscriptionId: erpSub },
    });
    for (const d of erpDeliveries)
      expect(await jobOf(d.id)).toMatchObject({ task: 'deliver_webhook' });
    const carrierDelivery = await db.webhookDelivery.findFirstOrThrow({
      where: { messageId: both, subscriptionId: carrierSub },
    });
    expect(await jobOf(carrierDelivery.id)).toBeNull();
    expect(await deliverOutboxTogether(db, [both, erpOnly])).toEqual(
      new Map([
        [both, { status: 'already_dispatched' }],
        [erpOnly, { status: 'already_dispatched' }],
      ]),
    );
  });

  it('wakes the workers only when it queues a delivery', async () => {
    const listener = new pg.Client({ connectionString: url });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (n) => heard.push(n.channel));
    await listener.query('LISTEN "jobs:insert"');
    const message = async () => {
      const id = randomUUID();
      await db.outboxMessage.create({
        data: { id, topic: ERP_RECORD_TOPIC, aggregateId: randomUUID(), payload: {} },
      });

      return id;
    };
    const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
    try {
      // Nobody subscribes: dispatched, no delivery, no job, no one woken.
      const unheard = await deliverOutboxTogether(db, [await message(), await message()]);
      await settle();
      expect([...unheard.values()].map((o) => o.status)).toEqual(['dispatched', 'dispatched']);
      expect(heard).toEqual([]);

      await subscribe();
      const outcome = await deliverOutboxTogether(db, [await message()]);
      await settle();
      expect([...outcome.values()]).toEqual([{ status: 'dispatched', deliveries: 1, queued: 1 }]);
      expect(heard).toEqual(['jobs:insert']);
    } finally {
      await listener.end();
    }
  });
});
