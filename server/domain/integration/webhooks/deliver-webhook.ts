import type { Db } from '../../../db/client';
import { logger } from '../../../lib/logger';
import { canonicalJson } from '../../audit/canonical-json';
import { deliveryJobKey, DELIVER_WEBHOOK_TASK } from '../deliver-outbox';
import { retryDelayMs } from './backoff';
import { topicEntry } from './catalog';
import { clearDeadLetterAlert, reportDeadLetter } from './dead-letter-alert';
import { postWebhook, type AttemptResult } from './post-webhook';
import { signWebhook } from './signing';

// One attempt of one delivery, as the `deliver_webhook` job. No transaction is held over the
// network: the delivery is read, posted, then the attempt and its consequence are written
// together: delivered; or the next attempt scheduled (a job with run_at, after retryDelayMs);
// or, after the subscription's maxAttempts in this round, a dead letter that waits for a replay
// (and tells the admins, dead-letter-alert.ts).
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

/** The delivery with its subscription and message, in one query. */
async function load(db: Db, deliveryId: string) {
  const [row] = await db.$queryRaw<Loaded[]>`
    SELECT d.id, d.status::text AS status, d.attempts, d.round_attempts AS "roundAttempts",
      d.replays, d.subscription_id AS "subscriptionId", s.name, s.url, s.status::text AS "subscriptionStatus",
      s.deleted_at AS "deletedAt", s.secret, s.previous_secret AS "previousSecret",
      s.previous_secret_until AS "previousSecretUntil", s.max_attempts AS "maxAttempts",
      s.timeout_ms AS "timeoutMs", m.id AS "messageId", m.topic, m.created_at AS "createdAt",
      m.payload
    FROM webhook_deliveries d
    JOIN webhook_subscriptions s ON s.id = d.subscription_id
    JOIN outbox_messages m ON m.id = d.message_id
    WHERE d.id = ${deliveryId}::uuid`;

  return row ?? null;
}

interface Loaded {
  id: string;
  status: string;
  attempts: number;
  roundAttempts: number;
  replays: number;
  subscriptionId: string;
  name: string;
  url: string;
  subscriptionStatus: string;
  deletedAt: Date | null;
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: Date | null;
  maxAttempts: number;
  timeoutMs: number;
  messageId: string;
  topic: string;
  createdAt: Date;
  payload: unknown;
}

function secretsOf(d: Loaded, now: Date): string[] {
  const previous =
    d.previousSecret && d.previousSecretUntil && d.previousSecretUntil > now
      ? [d.previousSecret]
      : [];

  return [d.secret, ...previous];
}

function skipReason(d: Loaded): Extract<AttemptOutcome, { status: 'skipped' }>['reason'] | null {
  if (d.status !== 'PENDING') return 'NOT_PENDING';
  if (d.deletedAt) return 'DELETED';
  if (d.subscriptionStatus === 'PAUSED') return 'PAUSED';

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
  const body = envelopeOf({ ...delivery, id: delivery.messageId });
  const headers = signWebhook(
    delivery.id,
    Math.floor(startedAt.getTime() / 1000),
    body,
    secretsOf(delivery, startedAt),
  );
  const result = await postWebhook(delivery.url, { ...headers }, body, delivery.timeoutMs);
  const outcome = await record(db, delivery, startedAt, result, {
    now: clock(),
    random: options.random ?? Math.random,
  });
  if (outcome.status === 'dead') await reportDeadLetter(db, delivery, result.excerpt);
  if (outcome.status === 'delivered' && delivery.replays > 0) {
    await clearDeadLetterAlert(db, delivery.subscriptionId);
  }
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

type Next =
  | { status: 'DELIVERED'; nextAttemptAt: null }
  | { status: 'DEAD'; nextAttemptAt: null }
  | { status: 'PENDING'; nextAttemptAt: Date };

function nextOf(d: Loaded, result: AttemptResult, now: Date, random: () => number): Next {
  if (result.outcome === 'SUCCESS') return { status: 'DELIVERED', nextAttemptAt: null };
  const round = d.roundAttempts + 1;
  if (round >= d.maxAttempts) return { status: 'DEAD', nextAttemptAt: null };

  return {
    status: 'PENDING',
    nextAttemptAt: new Date(now.getTime() + retryDelayMs(round, random())),
  };
}

/**
 * The attempt, the delivery's new state and its job in one statement: a retry gets its job at
 * run_at; a delivered or dead one keeps no job waiting. Only a delivery still pending moves on
 * (a deletion may have cancelled it while the attempt was in flight: the attempt is logged).
 */
async function record(
  db: Db,
  d: Loaded,
  startedAt: Date,
  result: AttemptResult,
  clock: { now: Date; random: () => number },
): Promise<AttemptOutcome> {
  const number = d.attempts + 1;
  const next = nextOf(d, result, clock.now, clock.random);
  const jobKey = deliveryJobKey(d.id);
  const now = clock.now;
  const [written] = await db.$queryRaw<{ moved: number }[]>`
    WITH attempt AS (
      INSERT INTO webhook_attempts
        (id, delivery_id, number, started_at, latency_ms, outcome, status_code, error_excerpt)
      VALUES (gen_random_uuid(), ${d.id}::uuid, ${number}, ${startedAt}, ${result.latencyMs},
        ${result.outcome}::"WebhookAttemptOutcome", ${result.statusCode}, ${result.excerpt})
    ), moved AS (
      UPDATE webhook_deliveries SET
        attempts = ${number}, round_attempts = round_attempts + 1,
        last_status_code = ${result.statusCode}, status = ${next.status}::"WebhookDeliveryStatus",
        next_attempt_at = ${next.nextAttemptAt},
        last_error = ${result.outcome === 'SUCCESS' ? null : result.excerpt},
        delivered_at = CASE WHEN ${next.status} = 'DELIVERED' THEN ${now} ELSE delivered_at END,
        dead_at = CASE WHEN ${next.status} = 'DEAD' THEN ${now} ELSE dead_at END
      WHERE id = ${d.id}::uuid AND status = 'PENDING'
      RETURNING id
    ), job AS (
      SELECT CASE WHEN ${next.status} = 'PENDING'
        THEN (graphile_worker.add_job(${DELIVER_WEBHOOK_TASK}::text,
                json_build_object('deliveryId', moved.id), run_at := ${next.nextAttemptAt}::timestamptz,
                max_attempts := 5, job_key := ${jobKey}::text)).id
        ELSE (graphile_worker.remove_job(${jobKey}::text)).id END AS id
      FROM moved
    )
    SELECT (SELECT count(*) FROM job)::int AS moved`;

  // Cancelled while the attempt was in flight: logged, and nothing more happens to it.
  if (written?.moved !== 1) return { status: 'skipped', reason: 'NOT_PENDING' };
  if (next.status === 'DELIVERED') {
    return { status: 'delivered', attempt: number, statusCode: result.statusCode ?? 200 };
  }
  if (next.status === 'DEAD') return { status: 'dead', attempt: number, result };

  return { status: 'retry_scheduled', attempt: number, nextAttemptAt: next.nextAttemptAt, result };
}
