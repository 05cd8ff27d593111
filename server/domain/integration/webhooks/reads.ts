import type { Db } from '../../../db/client';
import type { Prisma } from '../../../db/generated/client';
import { CATALOG_VERSION, WEBHOOK_TOPICS } from './catalog';
import type { DeliveryFilter } from './schema';

// What the webhook admin pages show. Secrets are never selected here.

export function listTopics() {
  return { catalogVersion: CATALOG_VERSION, topics: WEBHOOK_TOPICS };
}

export async function listSubscriptions(db: Db) {
  const rows = await db.webhookSubscription.findMany({
    where: { deletedAt: null },
    orderBy: { createdAt: 'asc' },
    select: {
      id: true,
      name: true,
      url: true,
      topics: true,
      status: true,
      maxAttempts: true,
      timeoutMs: true,
      createdAt: true,
      pausedAt: true,
      secretRotatedAt: true,
      previousSecretUntil: true,
      partner: { select: { id: true, code: true, name: true } },
    },
  });
  const counts = await db.webhookDelivery.groupBy({
    by: ['subscriptionId', 'status'],
    where: { subscriptionId: { in: rows.map((r) => r.id) } },
    _count: { _all: true },
  });
  const countOf = (id: string, status: string) =>
    counts.find((c) => c.subscriptionId === id && c.status === status)?._count._all ?? 0;

  return rows.map((r) => ({
    ...r,
    pending: countOf(r.id, 'PENDING'),
    delivered: countOf(r.id, 'DELIVERED'),
    dead: countOf(r.id, 'DEAD'),
  }));
}

/** Every subscription ever made, deleted ones included, for the log's filter. */
export async function subscriptionNames(db: Db) {
  return db.webhookSubscription.findMany({
    orderBy: { name: 'asc' },
    select: { id: true, name: true, deletedAt: true },
  });
}

export async function listPartners(db: Db) {
  return db.partner.findMany({
    where: { active: true },
    orderBy: { code: 'asc' },
    select: { id: true, code: true, name: true, kind: true },
  });
}

/** Newest first, by (created_at, id) keyset pages. */
export async function listDeliveries(db: Db, filter: DeliveryFilter) {
  const where: Prisma.WebhookDeliveryWhereInput = {
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.subscriptionId ? { subscriptionId: filter.subscriptionId } : {}),
    ...(filter.topic ? { topic: filter.topic } : {}),
  };
  const rows = await db.webhookDelivery.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: filter.limit + 1,
    ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 1 } : {}),
    select: {
      id: true,
      messageId: true,
      topic: true,
      status: true,
      attempts: true,
      roundAttempts: true,
      replays: true,
      nextAttemptAt: true,
      lastStatusCode: true,
      lastError: true,
      createdAt: true,
      deliveredAt: true,
      deadAt: true,
      message: { select: { aggregateId: true } },
      subscription: { select: { id: true, name: true, deletedAt: true } },
    },
  });
  const more = rows.length > filter.limit;
  const items = more ? rows.slice(0, filter.limit) : rows;

  return { items, nextCursor: more ? items[items.length - 1]!.id : null };
}

export async function deliveryAttempts(db: Db, deliveryId: string) {
  return db.webhookAttempt.findMany({
    where: { deliveryId },
    orderBy: { number: 'asc' },
    select: {
      number: true,
      startedAt: true,
      latencyMs: true,
      outcome: true,
      statusCode: true,
      errorExcerpt: true,
    },
  });
}
