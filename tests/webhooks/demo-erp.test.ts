import { randomUUID } from 'node:crypto';
import { runOnce } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../server/db/client';
import { DEMO_WORLD_SETTING } from '../../server/auth/demo-users';
import { deliverOutbox } from '../../server/domain/integration/deliver-outbox';
import { ERP_RECORD_TOPIC } from '../../server/domain/integration/webhooks/catalog';
import { replayDeliveries } from '../../server/domain/integration/webhooks/replay';
import { generateSecret, signWebhook } from '../../server/domain/integration/webhooks/signing';
import { DEMO_ERP_SETTING } from '../../server/domain/integration/webhooks/demo-erp-receiver';
import { createTaskList } from '../../server/jobs/tasks';
import { queueLogger } from '../../server/jobs/queue-logger';
import { DEMO_ERP_PARTNER, seedDemoErpSubscription } from '../../server/seed/demo-erp-subscription';
import { createMigratedDatabase, dropDatabase } from '../setup/test-database';
import { allowWebhookReceiver } from './receiver';
import { serveRoute } from './route-http';

// The demo world's simulated ERP behind POST /api/demo/erp, served over real HTTP and fed by the
// real worker: it takes signed deliveries, applies each delivery id once, refuses forgeries and
// does not exist outside the demo world. A database of this file's own holds the demo markers.

let url = '';
let db: Db;
let server: Awaited<ReturnType<typeof serveRoute>>;
const admin = { userId: randomUUID(), requestId: 'test' };

beforeAll(async () => {
  url = await createMigratedDatabase(process.env.CT_ADMIN_DATABASE_URL!, 'ct_demo_erp');
  // The route uses the shared client, created on first use from DATABASE_URL.
  process.env.DATABASE_URL = url;
  db = createPrisma(url, 4);
  const { POST } = await import('../../app/api/demo/erp/route');
  server = await serveRoute('/api/demo/erp', POST);
  allowWebhookReceiver(server.url);
  await db.partner.create({
    data: { code: DEMO_ERP_PARTNER, name: 'Distributor ERP', kind: 'ERP' },
  });
});

afterAll(async () => {
  await server.close();
  await db.$disconnect();
  const { prisma } = await import('../../server/db/client');
  await prisma.$disconnect();
  await dropDatabase(process.env.CT_ADMIN_DATABASE_URL!, url);
});

async function post(body: string, headers: Record<string, string>) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('POST /api/demo/erp', () => {
  it('answers 404 until the demo world and its ERP subscription exist', async () => {
    const body = JSON.stringify({ type: ERP_RECORD_TOPIC, messageId: 'm' });
    const headers = {
      ...signWebhook(randomUUID(), Math.floor(Date.now() / 1000), body, [generateSecret()]),
    };

    expect((await post(body, headers)).status).toBe(404);
  });

  it('applies a delivery from the outbox once, however often it is sent', async () => {
    await db.setting.create({ data: { key: DEMO_WORLD_SETTING, value: { seededAt: 'test' } } });
    await db.$transaction((tx) => seedDemoErpSubscription(tx, server.url));
    const id = randomUUID();
    await db.outboxMessage.create({
      data: { id, topic: ERP_RECORD_TOPIC, aggregateId: randomUUID(), payload: { sequence: 1 } },
    });

    await deliverOutbox(db, id);
    await runOnce({ connectionString: url, taskList: createTaskList(db), logger: queueLogger });
    const delivery = await db.webhookDelivery.findFirstOrThrow({ where: { messageId: id } });
    await replayDeliveries(db, admin, [delivery.id]);
    await runOnce({ connectionString: url, taskList: createTaskList(db), logger: queueLogger });

    expect(
      await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } }),
    ).toMatchObject({ status: 'DELIVERED', attempts: 2 });
    expect(await db.demoErpReceipt.findMany()).toEqual([
      expect.objectContaining({ deliveryId: delivery.id, messageId: id, repeats: 1 }),
    ]);
  });

  it('refuses a forged signature with 401 and records nothing', async () => {
    const before = await db.demoErpReceipt.count();
    const body = JSON.stringify({ type: ERP_RECORD_TOPIC, messageId: 'forged', data: {} });
    const forged = signWebhook(randomUUID(), Math.floor(Date.now() / 1000), body, [
      generateSecret(),
    ]);
    const setting = await db.setting.findUniqueOrThrow({ where: { key: DEMO_ERP_SETTING } });
    const { secret } = await db.webhookSubscription.findUniqueOrThrow({
      where: { id: (setting.value as { subscriptionId: string }).subscriptionId },
    });
    const stale = signWebhook(randomUUID(), Math.floor(Date.now() / 1000) - 3600, body, [secret]);

    const answers = [await post(body, { ...forged }), await post(body, { ...stale })];

    expect(answers.map((a) => a.status)).toEqual([401, 401]);
    expect(answers.map((a) => a.body.reason)).toEqual([
      'signature refused: no signature matches',
      'signature refused: webhook-timestamp is outside the tolerance',
    ]);
    expect(await db.demoErpReceipt.count()).toBe(before);
  });
});
