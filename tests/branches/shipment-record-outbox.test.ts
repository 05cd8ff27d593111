import { afterAll, describe, expect, it } from 'vitest';
import { createPrisma } from '../../server/db/client';
import { slotShipment } from '../../server/domain/dispatch/slot-shipment';
import {
  ERP_RECORD_TOPIC,
  publishShipmentRecord,
  type ShipmentRecordMessage,
} from '../../server/domain/integration/publish-shipment-record';
import { createReadyShipment, createWorld } from '../fixtures/world';
import { queuedItems } from './jobs';

// The ERP shipment record through the transactional outbox: one message per state of the
// shipment, each with its delivery job. Its delivery to subscribers, signed and retried, is
// tested in tests/webhooks.

const db = createPrisma(process.env.DATABASE_URL);

afterAll(async () => {
  await db.$disconnect();
});

async function messagesOf(shipmentId: string) {
  return db.outboxMessage.findMany({
    where: { topic: ERP_RECORD_TOPIC, aggregateId: shipmentId },
    orderBy: { createdAt: 'asc' },
  });
}

describe('publishShipmentRecord', () => {
  it('writes one message per state of the shipment, each with its delivery job', async () => {
    const world = await createWorld(db);
    const s = await createReadyShipment(db, world, { quantity: 100 });

    const first = await publishShipmentRecord(db, s.shipmentId);
    const repeat = await publishShipmentRecord(db, s.shipmentId);
    await slotShipment(db, s.shipmentId);
    const slotted = await publishShipmentRecord(db, s.shipmentId);

    expect(first).toMatchObject({ status: 'queued', sequence: 1 });
    expect(repeat).toEqual({
      status: 'unchanged',
      outboxId: first.status === 'queued' ? first.outboxId : '',
    });
    expect(slotted).toMatchObject({ status: 'queued', sequence: 2 });
    const messages = await messagesOf(s.shipmentId);
    expect(messages).toHaveLength(2);
    const [ready, booked] = messages.map((m) => m.payload as unknown as ShipmentRecordMessage);
    expect(ready).toMatchObject({
      type: 'SHIPMENT_RECORD_UPDATED',
      aggregateId: s.shipmentId,
      shipment: {
        ref: s.ref,
        status: 'READY',
        readiness: 'READY',
        customerCode: world.customerCode,
        siteCode: world.siteCode,
        goodsValue: { amount: '1000.0000', currency: 'USD' },
        plannedTrip: {
          tripId: s.plannedTripId,
          routeCode: world.routeCode,
          serviceDate: world.day0,
        },
        booking: null,
      },
    });
    expect(ready!.shipment.milestones.packedStagedAt).toBe(ready!.shipment.milestones.readyAt);
    expect(booked!.shipment).toMatchObject({
      status: 'SLOTTED',
      booking: { vehicleCode: `V-${world.suffix}-1` },
    });
    expect(booked!.contentHash).not.toBe(ready!.contentHash);
    // Each message waits for its dispatch in one job's items, once.
    const items = await queuedItems<{ id: string }>(db, 'deliver_outbox');
    for (const m of messages) expect(items.filter((i) => i.id === m.id)).toHaveLength(1);
  });

  it('writes one message when two publications of the same state race', async () => {
    const world = await createWorld(db);
    const s = await createReadyShipment(db, world);

    const outcomes = await Promise.all([
      publishShipmentRecord(db, s.shipmentId),
      publishShipmentRecord(db, s.shipmentId),
    ]);

    expect(outcomes.map((o) => o.status).sort()).toEqual(['queued', 'unchanged']);
    expect(await messagesOf(s.shipmentId)).toHaveLength(1);
  });
});
