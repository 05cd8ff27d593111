import type { Db, Tx } from '../../../db/client';
import type { Prisma } from '../../../db/generated/client';
import { enqueue } from '../../../jobs/enqueue';
import { logger } from '../../../lib/logger';
import { canonicalJson } from '../../audit/canonical-json';
import { deliveryJobKey, DELIVER_WEBHOOK_TASK } from '../deliver-outbox';
import { retryDelayMs } from './backoff';
import { topicEntry } from './catalog';
import { postWebhook, type AttemptResult } from './post-webhook';
import { signWebhook } from './signing';

// One attempt of one delivery, as the `deliver_webhook` job. No transaction is held over the
// network: the delivery is read, posted, then the attempt and its consequence are written
// together: delivered; or the next attempt scheduled (a job with run_at, after retryDelayMs);
// or, after the subscription's maxAttempts in this round, a dead letter that waits for a replay.
//
// Delivery is at least once: a crash between the receiver's answer and our write sends it again,
// with the same webhook-id, which is what receivers deduplicate on.

const log = logger('deliver-webhook');

export type AttemptOutcome =
  | { status: 'delivered'; attempt: number; statusCode: number }
  | { status: 'retry_scheduled'; attempt: number; nextAttemptAt: Date; result: AttemptResult }
  | { status: 'dead'; attempt: number; result: AttemptResult }
  | { status: 'skipped'; reason: 'NOT_FOUND' | 'NOT_PENDING' | 'PAUSED' | 'DELETED' };

export interface AttemptOptions {
  now?: () => Date;
  /** In [0, 1): the jitter of the next delay. */
  random?: () => number;
}

/** The body every attempt sends: the same bytes each time, so the signature covers them all. */
export function envelopeOf(message: {
  id: string;
  topic: string;
  createdAt: Date;
  payload: unknown;
}): string {
  return canonicalJson({
    type: message.topic,
    version: topicEntry(message.topic)?.version ?? 1,
    messageId: message.id,
    timestamp: message.createdAt.toISOString(),
    data: message.payload,
  });
}

async function load(db: Db, deliveryId: string) {
  return db.webhookDelivery.findUnique({
    where: { id: deliveryId },
    include: {
      subscription: true,
      message: { select: { id: true, topic: true, createdAt: true, payload: true } },
    },
  });
}

type Loaded = NonNullable<Awaited<ReturnType<typeof load>>>;

function secretsOf(s: Loaded['subscription'], now: Date): string[] {
  const previous =
    s.previousSecret && s.previousSecretUntil && s.previousSecretUntil > now
      ? [s.previousSecret]
      : [];

  return [s.secret, ...previous];
}

function skipReason(d: Loaded): Extract<AttemptOutcome, { status: 'skipped' }>['reason'] | null {
  if (d.status !== 'PENDING') return 'NOT_PENDING';
  if (d.subscription.deletedAt) return 'DELETED';
  if (d.subscription.status === 'PAUSED') return 'PAUSED';

  return null;
}

export async function attemptDelivery(
  db: Db,
  deliveryId: string,
  options: AttemptOptions = {},
): Promise<AttemptOutcome> {
  const clock = options.now ?? (() => new Date());
  const delivery = await load(db, deliveryId);
  if (!delivery) return { status: 'skipped', reason: 'NOT_FOUND' };
  const reason = skipReason(delivery);
  if (reason === 'DELETED') await cancel(db, deliveryId);
  if (reason) return { status: 'skipped', reason };

  const startedAt = clock();
  const body = envelopeOf(delivery.message);
  const headers = signWebhook(
    delivery.id,
    Math.floor(startedAt.getTime() / 1000),
    body,
    secretsOf(delivery.subscription, startedAt),
  );
  const result = await postWebhook(
    delivery.subscription.url,
    { ...headers },
    body,
    delivery.subscription.timeoutMs,
  );
  const outcome = await db.$transaction((tx) =>
    record(tx, delivery, startedAt, result, clock(), options.random ?? Math.random),
  );
  const level = outcome.status === 'delivered' ? 'debug' : 'warn';
  log[level](
    {
      deliveryId,
      subscriptionId: delivery.subscriptionId,
      outcome: outcome.status,
      statusCode: result.statusCode,
      latencyMs: result.latencyMs,
    },
    'webhook attempt',
  );

  return outcome;
}

async function cancel(db: Db, deliveryId: string) {
  await db.webhookDelivery.updateMany({
    where: { id: deliveryId, status: 'PENDING' },
    data: { status: 'CANCELLED', nextAttemptAt: null },
  });
}

/** A delivered or dead delivery keeps no job waiting (one scheduled before a replay, say). */
async function dropPendingJob(tx: Tx, deliveryId: string) {
  await tx.$executeRaw`SELECT graphile_worker.remove_job(${deliveryJobKey(deliveryId)}::text)`;
}

async function record(
  tx: Tx,
  d: Loaded,
  startedAt: Date,
  result: AttemptResult,
  now: Date,
  random: () => number,
): Promise<AttemptOutcome> {
  const number = d.attempts + 1;
  const round = d.roundAttempts + 1;
  await tx.webhookAttempt.create({
    data: {
      deliveryId: d.id,
      number,
      startedAt,
      latencyMs: result.latencyMs,
      outcome: result.outcome,
      statusCode: result.statusCode,
      errorExcerpt: result.excerpt,
    },
  });
  // Only a delivery still pending moves on (a deletion may have cancelled it meanwhile).
  const update = (data: Prisma.WebhookDeliveryUpdateManyMutationInput) =>
    tx.webhookDelivery.updateMany({
      where: { id: d.id, status: 'PENDING' },
      data: { attempts: number, roundAttempts: round, lastStatusCode: result.statusCode, ...data },
    });
  if (result.outcome === 'SUCCESS') {
    await update({ status: 'DELIVERED', deliveredAt: now, nextAttemptAt: null, lastError: null });
    await dropPendingJob(tx, d.id);

    return { status: 'delivered', attempt: number, statusCode: result.statusCode ?? 200 };
  }
  if (round >= d.subscription.maxAttempts) {
    await update({ status: 'DEAD', deadAt: now, nextAttemptAt: null, lastError: result.excerpt });
    await dropPendingJob(tx, d.id);

    return { status: 'dead', attempt: number, result };
  }
  const nextAttemptAt = new Date(now.getTime() + retryDelayMs(round, random()));
  const changed = await update({ nextAttemptAt, lastError: result.excerpt });
  // Cancelled while this attempt was in flight: the attempt is logged, nothing more is sent.
  if (changed.count === 1) {
    const jobKey = deliveryJobKey(d.id);
    await enqueue(
      tx,
      DELIVER_WEBHOOK_TASK,
      { deliveryId: d.id },
      { jobKey, runAt: nextAttemptAt, maxAttempts: 5 },
    );
  }

  return { status: 'retry_scheduled', attempt: number, nextAttemptAt, result };
}
