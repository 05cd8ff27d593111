import type { Db, Tx } from '../../../db/client';
import { AppError } from '../../../lib/errors';
import type { UserActor } from '../../users/types';
import { writeAudit } from '../../audit/write-audit';
import { deliveryJobKey, enqueueDeliveries } from '../deliver-outbox';
import { refusedTargetMessage, type CreateSubscriptionInput } from './schema';
import { generateSecret } from './signing';
import { targetRefusal, type ResolveHost } from './target-policy';

// Subscriptions' life: created with a secret shown once, paused and resumed, a secret rotated
// (the previous one still signs beside it for a day, so a receiver can switch over without
// dropping deliveries), deleted. Every change is audited in its own transaction.

const ENTITY = 'WebhookSubscription';
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

function auditOf(actor: UserActor) {
  return { actor: { type: 'USER' as const, id: actor.userId }, requestId: actor.requestId };
}

async function live(tx: Tx, id: string) {
  const row = await tx.webhookSubscription.findUnique({
    where: { id },
    select: { id: true, status: true, deletedAt: true },
  });
  if (!row || row.deletedAt) throw new AppError('NOT_FOUND', 'No such subscription');

  return row;
}

export interface CreateOptions {
  /** How the URL's host name is resolved for the target check (DNS by default). */
  resolve?: ResolveHost;
}

export async function createSubscription(
  db: Db,
  actor: UserActor,
  input: CreateSubscriptionInput,
  options: CreateOptions = {},
) {
  // Outside the transaction: a name is resolved over the network, and nothing is locked for it.
  const refusal = await targetRefusal(input.url, { resolve: options.resolve });
  if (refusal) throw new AppError('UNPROCESSABLE', refusedTargetMessage(refusal));
  const secret = generateSecret();

  return db.$transaction(async (tx) => {
    const partner = await tx.partner.findUnique({
      where: { id: input.partnerId },
      select: { id: true },
    });
    if (!partner) throw new AppError('UNPROCESSABLE', 'Unknown partner');
    const created = await tx.webhookSubscription.create({
      data: { ...input, topics: [...new Set(input.topics)], secret },
      select: { id: true, name: true },
    });
    await writeAudit(tx, {
      entityType: ENTITY,
      entityId: created.id,
      action: 'webhook-subscription.created',
      ...auditOf(actor),
      // The secret is never written to the audit log.
      data: { ...input },
    });

    return { ...created, secret };
  });
}

export async function pauseSubscription(db: Db, actor: UserActor, id: string) {
  await db.$transaction(async (tx) => {
    const row = await live(tx, id);
    if (row.status === 'PAUSED') return;
    await tx.webhookSubscription.update({
      where: { id },
      data: { status: 'PAUSED', pausedAt: new Date() },
    });
    await writeAudit(tx, {
      entityType: ENTITY,
      entityId: id,
      action: 'webhook-subscription.paused',
      ...auditOf(actor),
    });
  });
}

/** Active again, with the deliveries that waited while it was paused sent in their order. */
export async function resumeSubscription(db: Db, actor: UserActor, id: string) {
  return db.$transaction(async (tx) => {
    const row = await live(tx, id);
    if (row.status === 'ACTIVE') return { resumed: 0 };
    await tx.webhookSubscription.update({
      where: { id },
      data: { status: 'ACTIVE', pausedAt: null },
    });
    const waiting = await tx.webhookDelivery.findMany({
      where: { subscriptionId: id, status: 'PENDING' },
      orderBy: { createdAt: 'asc' },
      select: { id: true },
    });
    await enqueueDeliveries(
      tx,
      waiting.map((d) => d.id),
    );
    await writeAudit(tx, {
      entityType: ENTITY,
      entityId: id,
      action: 'webhook-subscription.resumed',
      ...auditOf(actor),
      data: { waitingDeliveries: waiting.length },
    });

    return { resumed: waiting.length };
  });
}

export async function rotateSecret(db: Db, actor: UserActor, id: string, now = new Date()) {
  const secret = generateSecret();

  return db.$transaction(async (tx) => {
    await live(tx, id);
    const current = await tx.webhookSubscription.findUniqueOrThrow({
      where: { id },
      select: { secret: true, previousSecretUntil: true },
    });
    // A second rotation now would drop the secret receivers may still hold, unannounced.
    if (current.previousSecretUntil && current.previousSecretUntil > now)
      throw new AppError(
        'CONFLICT',
        `The last rotation's overlap runs until ${current.previousSecretUntil.toISOString()}: the secret before it still signs. Rotate again after that.`,
      );
    const previousSecretUntil = new Date(now.getTime() + ROTATION_OVERLAP_MS);
    await tx.webhookSubscription.update({
      where: { id },
      data: { secret, previousSecret: current.secret, previousSecretUntil, secretRotatedAt: now },
    });
    await writeAudit(tx, {
      entityType: ENTITY,
      entityId: id,
      action: 'webhook-subscription.secret-rotated',
      ...auditOf(actor),
      data: { previousSecretUntil },
    });

    return { id, secret, previousSecretUntil };
  });
}

/** Kept as a row (its deliveries keep their log); what was still waiting is cancelled. */
export async function deleteSubscription(db: Db, actor: UserActor, id: string) {
  await db.$transaction(async (tx) => {
    await live(tx, id);
    await tx.webhookSubscription.update({
      where: { id },
      data: { deletedAt: new Date(), secret: '', previousSecret: null, previousSecretUntil: null },
    });
    const cancelled = await tx.$queryRaw<{ id: string }[]>`
      UPDATE webhook_deliveries SET status = 'CANCELLED', next_attempt_at = NULL
      WHERE subscription_id = ${id}::uuid AND status = 'PENDING'
      RETURNING id`;
    // Their waiting jobs would only find them cancelled; one running now is left to finish.
    const keys = cancelled.map((d) => deliveryJobKey(d.id));
    await tx.$executeRaw`SELECT graphile_worker.remove_job(k) FROM unnest(${keys}::text[]) AS k`;
    await writeAudit(tx, {
      entityType: ENTITY,
      entityId: id,
      action: 'webhook-subscription.deleted',
      ...auditOf(actor),
      data: { cancelledDeliveries: cancelled.length },
    });
  });
}
