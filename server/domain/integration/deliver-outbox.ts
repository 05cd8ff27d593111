import type { Db, Tx } from '../../db/client';
import { enqueueMany } from '../../jobs/enqueue';
import { logger } from '../../lib/logger';

// The outbox's dispatcher: one outbox message becomes one webhook delivery per subscription to
// its topic, each with its own delivery job, in one transaction (a crash leaves either all of
// them or none, and a rerun finds them and adds nothing). The delivery's id, made here once, is
// the `webhook-id` that stays the same over retries and replays. Sending is deliver-webhook.ts's.
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

async function dispatchInTransaction(
  tx: Tx,
  outboxId: string,
  now: Date,
): Promise<DispatchOutcome> {
  const [message] = await tx.$queryRaw<{ topic: string; delivered_at: Date | null }[]>`
    SELECT topic, delivered_at FROM outbox_messages WHERE id = ${outboxId}::uuid FOR UPDATE`;
  if (!message) return { status: 'not_found' };
  if (message.delivered_at) return { status: 'already_dispatched' };

  const subscriptions = await tx.webhookSubscription.findMany({
    where: { topics: { has: message.topic }, deletedAt: null },
    select: { id: true, status: true },
  });
  const rows = subscriptions.map((s) => ({ subscriptionId: s.id, active: s.status === 'ACTIVE' }));
  const created = await tx.webhookDelivery.createManyAndReturn({
    data: rows.map((r) => ({
      messageId: outboxId,
      subscriptionId: r.subscriptionId,
      topic: message.topic,
      createdAt: now,
    })),
    skipDuplicates: true,
    select: { id: true, subscriptionId: true },
  });
  const active = new Set(rows.filter((r) => r.active).map((r) => r.subscriptionId));
  const queued = created.filter((d) => active.has(d.subscriptionId)).map((d) => d.id);
  await enqueueDeliveries(tx, queued);
  await tx.outboxMessage.update({
    where: { id: outboxId },
    data: { deliveredAt: now, attempts: { increment: 1 }, lastError: null },
  });

  return { status: 'dispatched', deliveries: created.length, queued: queued.length };
}

export async function deliverOutbox(
  db: Db,
  outboxId: string,
  options: { now?: Date } = {},
): Promise<DispatchOutcome> {
  const outcome = await db.$transaction((tx) =>
    dispatchInTransaction(tx, outboxId, options.now ?? new Date()),
  );
  log.debug({ outboxId, ...outcome }, 'outbox message dispatched');

  return outcome;
}
