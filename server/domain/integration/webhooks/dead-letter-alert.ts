import type { Db } from '../../../db/client';
import { openException, resolveByFacts } from '../../exceptions/open-exception';

// Dead letters must reach a person: the first one of a subscription opens an exception for the
// admins (one per subscription, refreshed with the count as more die, not one per delivery),
// and it resolves by itself once replays have delivered every dead letter of the subscription.

export function deadLetterKey(subscriptionId: string): string {
  return `webhook-dead:${subscriptionId}`;
}

interface Subscription {
  subscriptionId: string;
  name: string;
  url: string;
}

export async function reportDeadLetter(db: Db, s: Subscription, lastError: string | null) {
  await db.$transaction(async (tx) => {
    const dead = await tx.webhookDelivery.count({
      where: { subscriptionId: s.subscriptionId, status: 'DEAD' },
    });
    await openException(tx, {
      type: 'FAILED_JOB',
      severity: 'HIGH',
      ownerTeam: 'ADMIN',
      siteId: null,
      dedupeKey: deadLetterKey(s.subscriptionId),
      title:
        `${dead} webhook deliveries to ${s.name} are dead letters: ${lastError ?? 'failed'}`.slice(
          0,
          300,
        ),
      detail: {
        subscriptionId: s.subscriptionId,
        url: s.url,
        deadLetters: dead,
        lastError,
        replayAt: `/admin/webhooks/dead-letters?subscription=${s.subscriptionId}`,
      },
    });
  });
}

/** After a replayed delivery went through: resolved when no dead letter of it is left. */
export async function clearDeadLetterAlert(db: Db, subscriptionId: string) {
  await db.$transaction(async (tx) => {
    const dead = await tx.webhookDelivery.count({ where: { subscriptionId, status: 'DEAD' } });
    if (dead > 0) return;
    await resolveByFacts(
      tx,
      [deadLetterKey(subscriptionId)],
      'every dead letter of the subscription was delivered on replay',
    );
  });
}
