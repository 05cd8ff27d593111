import type { Db } from '../../../db/client';
import { AppError } from '../../../lib/errors';
import type { UserActor } from '../../users/types';
import { writeAudit } from '../../audit/write-audit';
import { enqueueDeliveries } from '../deliver-outbox';

// A replay sends a delivery again under its own id (the receiver's deduplication still holds):
// a new round of the subscription's attempts begins, the earlier attempts stay in the log.
// Dead letters are what it is for; a delivered or cancelled one may be sent again as well, to a
// receiver that lost it. Deliveries of a deleted subscription cannot be replayed.

export interface ReplayResult {
  replayed: string[];
  skipped: { id: string; reason: string }[];
}

export async function replayDeliveries(
  db: Db,
  actor: UserActor,
  ids: string[],
  now = new Date(),
): Promise<ReplayResult> {
  const unique = [...new Set(ids)];

  return db.$transaction(async (tx) => {
    const rows = await tx.webhookDelivery.findMany({
      where: { id: { in: unique } },
      select: {
        id: true,
        status: true,
        subscription: { select: { deletedAt: true, status: true } },
      },
    });
    const found = new Map(rows.map((r) => [r.id, r]));
    const skipped: ReplayResult['skipped'] = [];
    const replayed: string[] = [];
    for (const id of unique) {
      const row = found.get(id);
      if (!row) skipped.push({ id, reason: 'not found' });
      else if (row.subscription.deletedAt)
        skipped.push({ id, reason: 'its subscription was deleted' });
      else if (row.status === 'PENDING') skipped.push({ id, reason: 'already waiting to be sent' });
      else replayed.push(id);
    }
    if (replayed.length === 0 && unique.length === 1) {
      throw new AppError('CONFLICT', `Not replayed: ${skipped[0]!.reason}`);
    }
    await tx.webhookDelivery.updateMany({
      where: { id: { in: replayed } },
      data: {
        status: 'PENDING',
        roundAttempts: 0,
        replays: { increment: 1 },
        replayedAt: now,
        deadAt: null,
        nextAttemptAt: null,
      },
    });
    const active = rows.filter(
      (r) => replayed.includes(r.id) && r.subscription.status === 'ACTIVE',
    );
    await enqueueDeliveries(
      tx,
      active.map((r) => r.id),
    );
    for (const id of replayed) {
      await writeAudit(tx, {
        entityType: 'WebhookDelivery',
        entityId: id,
        action: 'webhook-delivery.replayed',
        actor: { type: 'USER', id: actor.userId },
        requestId: actor.requestId,
      });
    }

    return { replayed, skipped };
  });
}
