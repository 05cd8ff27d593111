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
 * One statement: the message marked dispatched (its row lock makes a concurrent dispatch of the
 * same message wait, then find it done), a delivery per live subscription to its topic, and a
 * job for each one whose subscription is active. Committed synchronously, unlike the steps
 * before it: the moment it commits, a worker may pick up a delivery job and POST it, so a crash
 * must not lose a delivery whose id a receiver already holds. Its flush also puts every earlier
 * asynchronous commit it stands on (the apply, the branches, the record) on disk first.
 */
async function dispatch(db: Db, outboxId: string, now: Date): Promise<DispatchOutcome> {
  const [row] = await db.$queryRaw<{ found: number; deliveries: number; queued: number }[]>`
    WITH message AS (
      UPDATE outbox_messages
      SET delivered_at = ${now}, attempts = attempts + 1, last_error = NULL
      WHERE id = ${outboxId}::uuid AND delivered_at IS NULL
      -- The shipment record carries its site inside the shipment; the status and exception
      -- events at the top.
      RETURNING id, topic,
        coalesce(payload->>'siteCode', payload->'shipment'->>'siteCode') AS site_code
    ), subscription AS (
      SELECT s.id, s.status FROM webhook_subscriptions s
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
      SELECT gen_random_uuid(), m.id, s.id, m.topic, ${now} FROM message m, subscription s
      ON CONFLICT (message_id, subscription_id) DO NOTHING
      RETURNING id, subscription_id
    ), queued AS (
      SELECT count(*) AS n FROM graphile_worker.add_jobs(array(
        SELECT json_populate_record(null::graphile_worker.job_spec, json_build_object(
          'identifier', ${DELIVER_WEBHOOK_TASK}::text,
          'payload', json_build_object('deliveryId', c.id),
          'max_attempts', 5,
          'job_key', ${`${DELIVER_WEBHOOK_TASK}:`}::text || c.id))
        FROM created c JOIN subscription s ON s.id = c.subscription_id
        WHERE s.status = 'ACTIVE'))
    )
    SELECT (SELECT count(*) FROM message)::int AS found,
      (SELECT count(*) FROM created)::int AS deliveries,
      (SELECT n FROM queued)::int AS queued`;
  if (row!.found === 0) {
    const exists = await db.outboxMessage.count({ where: { id: outboxId } });

    return { status: exists ? 'already_dispatched' : 'not_found' };
  }

  return { status: 'dispatched', deliveries: row!.deliveries, queued: row!.queued };
}

export async function deliverOutbox(
  db: Db,
  outboxId: string,
  options: { now?: Date } = {},
): Promise<DispatchOutcome> {
  const outcome = await dispatch(db, outboxId, options.now ?? new Date());
  log.debug({ outboxId, ...outcome }, 'outbox message dispatched');

  return outcome;
}
