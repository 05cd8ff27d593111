import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubscription } from '../../server/domain/integration/webhooks/subscriptions';
import {
  closeFlow,
  drain,
  openFlow,
  pick,
  release,
  send,
  stage,
  type Flow,
} from '../main-flow/flow-helpers';
import { startReceiver, type TestReceiver } from './receiver';

// The shipment and exception topics, from the real flow: events through the intake, the apply
// job and the readiness gate run by the real worker; the database triggers write the outbox
// messages in the transactions of those changes, and the worker delivers them, signed, to a
// receiver subscribed to them. Without a subscriber, nothing is written.

let flow: Flow;
let receiver: TestReceiver;
let counter = 0;
const admin = { userId: randomUUID(), requestId: 'test' };

beforeAll(async () => {
  flow = await openFlow('ct_test_webhook_topics');
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver.close();
  await closeFlow(flow);
});

const nextRef = () => `SO-HOOK-${(counter += 1)}-${randomUUID().slice(0, 6)}`;

interface Envelope {
  type: string;
  data: Record<string, unknown> & { ref?: string; shipmentRef?: string };
}

function receivedFor(ref: string): Envelope[] {
  return [...receiver.applied.values()]
    .map((body) => JSON.parse(body) as Envelope)
    .filter((e) => e.data.ref === ref || e.data.shipmentRef === ref || e.data.orderRef === ref);
}

describe('shipment and exception events', () => {
  it('are written only while someone subscribes to them', async () => {
    const ref = nextRef();
    await send(flow, [
      release(flow.world, ref, 480),
      pick(flow.world, ref, 540, '60'),
      stage(flow.world, ref, 600),
    ]);
    await drain(flow);

    const topics = await flow.db.outboxMessage.findMany({
      where: { topic: { startsWith: 'shipment.' } },
    });
    expect(topics).toEqual([]);
    expect(await flow.db.outboxMessage.count({ where: { topic: 'exception.opened' } })).toBe(0);
  });

  it('tell a subscriber a shipment was held with an exception, then ready with it resolved', async () => {
    const partner = await flow.db.partner.create({
      data: { code: `ERP-${randomUUID().slice(0, 6)}`, name: 'ERP', kind: 'ERP' },
    });
    const subscription = await createSubscription(flow.db, admin, {
      partnerId: partner.id,
      name: 'status feed',
      url: receiver.url,
      topics: ['shipment.held', 'shipment.ready', 'exception.opened', 'exception.resolved'],
      maxAttempts: 3,
      timeoutMs: 5_000,
    });
    receiver.secrets = [subscription.secret];
    const ref = nextRef();

    await send(flow, [
      release(flow.world, ref, 480),
      pick(flow.world, ref, 540, '60'),
      stage(flow.world, ref, 600),
    ]);
    await drain(flow);
    const shipment = await flow.db.shipment.findFirstOrThrow({ where: { order: { ref } } });
    const held = receivedFor(shipment.ref);
    await send(flow, [pick(flow.world, ref, 560, '100')]);
    await drain(flow);
    const all = receivedFor(shipment.ref);

    expect(held.map((e) => e.type).sort()).toEqual(['exception.opened', 'shipment.held']);
    expect(held.find((e) => e.type === 'shipment.held')!.data).toMatchObject({
      shipmentId: shipment.id,
      orderRef: ref,
      siteCode: flow.world.siteCode,
      customerCode: flow.world.customerCode,
      status: 'HELD',
      holds: [expect.objectContaining({ reason: 'QUANTITY_VARIANCE' })],
    });
    expect(held.find((e) => e.type === 'exception.opened')!.data).toMatchObject({
      type: 'QUANTITY_VARIANCE',
      ownerTeam: 'WAREHOUSE',
      status: 'OPEN',
      shipmentRef: shipment.ref,
    });
    expect(
      all
        .slice(held.length)
        .map((e) => e.type)
        .sort(),
    ).toEqual(['exception.resolved', 'shipment.ready']);
    expect(all.find((e) => e.type === 'shipment.ready')!.data).toMatchObject({
      status: 'READY',
      previousStatus: 'HELD',
      holds: [],
    });
    expect(all.find((e) => e.type === 'exception.resolved')!.data).toMatchObject({
      status: 'RESOLVED',
      resolutionCode: 'RESOLVED_BY_FACTS',
    });
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    const deliveries = await flow.db.webhookDelivery.findMany({
      where: { subscriptionId: subscription.id },
    });
    expect(deliveries.every((d) => d.status === 'DELIVERED')).toBe(true);
  });
});
