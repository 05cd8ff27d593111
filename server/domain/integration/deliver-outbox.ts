import type { Db, Tx } from '../../db/client';
import { enqueueMany } from '../../jobs/enqueue';
import { logger } from '../../lib/logger';

// The outbox's dispatcher: one outbox message becomes one webhook delivery per subscription to
// its topic, each with its own delivery job, in one statement (a crash leaves either all of
// them or none, and a rerun finds them and adds nothing). The delivery's id, made here once, is
// the `webhook-id` that stays the same over retries and replays. Sending is deliver-webhook.ts's.
//
// Who hears what: a partner's subscriptions receive the messages of the sites its live API keys
// are scoped to, and the ERP (our system of record, kind ERP) those of every site. An exception
// with no site of its own (a dead letter, a failed job: the product's own housekeeping, whose
// text may name other partners) goes to nobody outside.
//
// Subscriptions are read when the message is dispatched: a subscription created later does not
// receive messages written before it. A paused subscription gets its deliveries, waiting without
// a job until it is resumed, so that nothing is lost while it is paused.

const log = logger('deliver-outbox');

export const DELIVER_WEBHOOK_TASK = 'deliver_webhook';

export type DispatchOutcome =
  | { status: 'dispatched'; deliveries: number; queued: number }
  | { status: 'already_dispatched' }
  | { status: 'not_found' };

export function deliveryJobKey(deliveryId: string): string {
  return `${DELIVER_WEBHOOK_TASK}:${deliveryId}`;
}

/** Delivery jobs for these deliveries, in the caller's transaction (one per delivery, keyed). */
export async function enqueueDeliveries(tx: Tx, deliveryIds: string[]): Promise<void> {
  await enqueueMany(
    tx,
    DELIVER_WEBHOOK_TASK,
    deliveryIds.map((id) => ({ payload: { deliveryId: id }, jobKey: deliveryJobKey(id) })),
    // The job retries only when the database failed it; receivers' refusals are counted and
    // rescheduled by the delivery itself, with its own backoff.
    5,
  );
}

/**
 * One statement for any number of messages: each marked dispatched (its row lock makes a
 * concurrent dispatch of the same message wait, then find it done), a delivery per live
 * subscription to its topic, and a job for each one whose subscription is active. Committed
 * synchronously, unlike the steps before it: the moment it commits, a worker may pick up a
 * delivery job and POST it, so a crash must not lose a delivery whose id a receiver already
 * holds. Its flush also puts every earlier asynchronous commit it stands on (the apply, the
 * branches, the record) on disk first; a batch of messages shares the one flush. A statement
 * that delivers to nobody (no live subscription to its topics) commits asynchronously.
 */
async function dispatch(
  db: Db,
  outboxIds: readonly string[],
  now: Date,
): Promise<Map<string, DispatchOutcome>> {
  const rows = await db.$queryRaw<
    { id: string; found: boolean; deliveries: number; queued: number }[]
  >`
    WITH asked AS (
      SELECT DISTINCT a.id FROM unnest(${outboxIds}::uuid[]) AS a(id)
    ), message AS (
      UPDATE outbox_messages
      SET delivered_at = ${now}, attempts = attempts + 1, last_error = NULL
      WHERE id = ANY (${outboxIds}::uuid[]) AND delivered_at IS NULL
      -- The shipment record carries its site inside the shipment; the status and exception
      -- events at the top.
      RETURNING id, topic,
        coalesce(payload->>'siteCode', payload->'shipment'->>'siteCode') AS site_code
    ), subscription AS (
      SELECT m.id AS message_id, s.id, s.status FROM webhook_subscriptions s
      JOIN message m ON m.topic = ANY (s.topics)
      JOIN partners p ON p.id = s.partner_id
      WHERE s.deleted_at IS NULL
        AND NOT (m.topic LIKE 'exception.%' AND m.site_code IS NULL)
        AND (p.kind = 'ERP' OR m.site_code IN (
          SELECT st.code FROM api_keys k
          JOIN api_key_sites ks ON ks.api_key_id = k.id
          JOIN sites st ON st.id = ks.site_id
          WHERE k.partner_id = p.id AND k.revoked_at IS NULL
            AND (k.expires_at IS NULL OR k.expires_at > ${now})))
    ), created AS (
      INSERT INTO webhook_deliveries (id, message_id, subscription_id, topic, created_at)
      SELECT gen_random_uuid(), m.id, s.id, m.topic, ${now}
      FROM message m JOIN subscription s ON s.message_id = m.id
      ON CONFLICT (message_id, subscription_id) DO NOTHING
      RETURNING id, message_id, subscription_id
    ), to_queue AS (
      SELECT c.id, c.message_id FROM created c
      JOIN subscription s ON s.message_id = c.message_id AND s.id = c.subscription_id
      WHERE s.status = 'ACTIVE'
    ), queued AS (
      -- Each delivery is new, so each gets its job. add_jobs is called only when there are
      -- some: it notifies the workers even of none, and a NOTIFY serialises its transaction's
      -- commit with every other that notifies (the applies' among them).
      SELECT CASE WHEN EXISTS (SELECT 1 FROM to_queue) THEN (
        SELECT count(*) FROM graphile_worker.add_jobs(array(
          SELECT json_populate_record(null::graphile_worker.job_spec, json_build_object(
            'identifier', ${DELIVER_WEBHOOK_TASK}::text,
            'payload', json_build_object('deliveryId', q.id),
            'max_attempts', 5,
            'job_key', ${`${DELIVER_WEBHOOK_TASK}:`}::text || q.id))
          FROM to_queue q))) ELSE 0 END AS n
    ), commit_mode AS (
      -- Nothing for a receiver: no delivery id can be lost, and the commit need not wait.
      SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM created)
        THEN set_config('synchronous_commit', 'off', true) END AS mode
    )
    SELECT a.id::text AS id,
      EXISTS (SELECT 1 FROM message m WHERE m.id = a.id) AS found,
      (SELECT count(*) FROM created c WHERE c.message_id = a.id)::int AS deliveries,
      (SELECT count(*) FROM to_queue q WHERE q.message_id = a.id)::int AS queued,
      -- Read so that they run: a SELECT in WITH runs only where it is read.
      (SELECT n FROM queued) AS added,
      (SELECT mode FROM commit_mode) AS mode
    FROM asked a`;
  const missing = rows.filter((r) => !r.found).map((r) => r.id);
  const existing = new Set(
    missing.length === 0
      ? []
      : (
          await db.outboxMessage.findMany({ where: { id: { in: missing } }, select: { id: true } })
        ).map((m) => m.id),
  );
  const outcomes = new Map<string, DispatchOutcome>();
  for (const r of rows) {
    outcomes.set(
      r.id,
      r.found
        ? { status: 'dispatched', deliveries: r.deliveries, queued: r.queued }
        : { status: existing.has(r.id) ? 'already_dispatched' : 'not_found' },
    );
  }

  return outcomes;
}

export async function deliverOutbox(
  db: Db,
  outboxId: string,
  options: { now?: Date } = {},
): Promise<DispatchOutcome> {
  const outcome = (await dispatch(db, [outboxId], options.now ?? new Date())).get(outboxId)!;
  log.debug({ outboxId, ...outcome }, 'outbox message dispatched');

  return outcome;
}

/**
 * Several messages dispatched at once (the items of a `deliver_outbox` batch job): as
 * deliverOutbox each, in one statement and one commit. The outcome of each, by id.
 */
export async function deliverOutboxTogether(
  db: Db,
  outboxIds: readonly string[],
  options: { now?: Date } = {},
): Promise<Map<string, DispatchOutcome>> {
  const outcomes = await dispatch(db, outboxIds, options.now ?? new Date());
  const dispatched = [...outcomes.values()].filter((o) => o.status === 'dispatched').length;
  log.debug({ messages: outcomes.size, dispatched }, 'outbox messages dispatched together');

  return outcomes;
}
