import type { Db, Tx } from '../../../db/client';
import { DEMO_WORLD_SETTING } from '../../../auth/demo-users';
import { AppError } from '../../../lib/errors';
import { ERP_RECORD_TOPIC } from './catalog';
import { verifyWebhook } from './signing';

// The demo world's simulated ERP, behind POST /api/demo/erp: it does what a partner's endpoint
// must, checks the Standard Webhooks signature and timestamp, applies each webhook-id once
// (a repeat is answered 200 and only counted) and says so. It exists only where the demo world
// was seeded: elsewhere the route answers 404. It reads its copy of the signing secret from the
// subscription row, as a receiver sharing the product's database may in a demo and nowhere else.

export const DEMO_ERP_SETTING = 'demo.erp-receiver';
export const DEMO_ERP_PATH = '/api/demo/erp';

interface DemoErpSetting {
  subscriptionId: string;
}

export type DemoReceipt = { applied: boolean; deliveryId: string; repeats: number };

async function demoSubscription(db: Db) {
  const [world, setting] = await Promise.all([
    db.setting.findUnique({ where: { key: DEMO_WORLD_SETTING } }),
    db.setting.findUnique({ where: { key: DEMO_ERP_SETTING } }),
  ]);
  if (!world || !setting) throw new AppError('NOT_FOUND', 'the demo ERP receiver is not set up');
  const { subscriptionId } = setting.value as unknown as DemoErpSetting;
  const subscription = await db.webhookSubscription.findUnique({
    where: { id: subscriptionId },
    select: { secret: true, previousSecret: true, previousSecretUntil: true, deletedAt: true },
  });
  if (!subscription || subscription.deletedAt) {
    throw new AppError('NOT_FOUND', 'the demo ERP subscription was deleted');
  }

  return subscription;
}

function envelopeOf(body: string): { messageId: string; type: string } {
  try {
    const parsed = JSON.parse(body) as { messageId?: unknown; type?: unknown };
    if (typeof parsed.messageId === 'string' && typeof parsed.type === 'string') {
      return { messageId: parsed.messageId, type: parsed.type };
    }
  } catch {
    // Answered below as any other body that is not an event envelope.
  }
  throw new AppError('BAD_REQUEST', 'the body is not a webhook event envelope');
}

export async function receiveDemoErp(
  db: Db,
  headers: Headers,
  body: string,
  now = new Date(),
): Promise<DemoReceipt> {
  const s = await demoSubscription(db);
  const secrets = [s.secret];
  if (s.previousSecret && s.previousSecretUntil && s.previousSecretUntil > now) {
    secrets.push(s.previousSecret);
  }
  const verified = verifyWebhook(headers, body, secrets, { now });
  if (!verified.ok) throw new AppError('UNAUTHORIZED', `signature refused: ${verified.reason}`);
  const envelope = envelopeOf(body);
  if (envelope.type !== ERP_RECORD_TOPIC) {
    throw new AppError('UNPROCESSABLE', `the demo ERP takes ${ERP_RECORD_TOPIC} only`);
  }

  return db.$transaction((tx) => record(tx, verified.id, envelope));
}

async function record(tx: Tx, deliveryId: string, e: { messageId: string; type: string }) {
  // One statement, so that two copies arriving together still apply once.
  const [row] = await tx.$queryRaw<{ inserted: boolean; repeats: number }[]>`
    INSERT INTO demo_erp_receipts (delivery_id, message_id, topic)
    VALUES (${deliveryId}::uuid, ${e.messageId}, ${e.type})
    ON CONFLICT (delivery_id) DO UPDATE SET repeats = demo_erp_receipts.repeats + 1
    RETURNING (xmax = 0) AS inserted, repeats`;

  return { applied: row!.inserted, deliveryId, repeats: row!.repeats };
}
