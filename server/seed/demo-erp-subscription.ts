import type { Tx } from '../db/client';
import { ERP_RECORD_TOPIC } from '../domain/integration/webhooks/catalog';
import { DEMO_ERP_PATH, DEMO_ERP_SETTING } from '../domain/integration/webhooks/demo-erp-receiver';
import { generateSecret } from '../domain/integration/webhooks/signing';

// The demo world's ERP partner subscribes to the shipment records, delivered to the app's own
// simulated receiver (app/api/demo/erp), so that the outbox, its retries and its log have a
// real receiver from the first start. DEMO_ERP_URL overrides where it lives.

export const DEMO_ERP_PARTNER = 'ERP-CORE';

export function demoErpUrl(env: Record<string, string | undefined> = process.env): string {
  return env.DEMO_ERP_URL ?? `http://127.0.0.1:${env.PORT ?? '3000'}${DEMO_ERP_PATH}`;
}

export async function seedDemoErpSubscription(tx: Tx, url = demoErpUrl()): Promise<string> {
  const partner = await tx.partner.findUniqueOrThrow({
    where: { code: DEMO_ERP_PARTNER },
    select: { id: true },
  });
  const subscription = await tx.webhookSubscription.create({
    data: {
      partnerId: partner.id,
      name: 'Distributor ERP (demo receiver)',
      url,
      topics: [ERP_RECORD_TOPIC],
      secret: generateSecret(),
    },
    select: { id: true },
  });
  await tx.setting.create({
    data: { key: DEMO_ERP_SETTING, value: { subscriptionId: subscription.id } },
  });

  return subscription.id;
}
