import { afterAll, describe, expect, it } from 'vitest';
import { createPrisma } from '../../server/db/client';
import { firstBrokenLink } from '../../server/domain/audit/audit-hash';
import { prevalidateBilling } from '../../server/domain/billing/prevalidate-billing';
import { ensureTrip } from '../../server/domain/dispatch/candidate-trips';
import { nextDeparture } from '../../server/domain/dispatch/departures';
import { slotShipment } from '../../server/domain/dispatch/slot-shipment';
import {
  publishShipmentRecord,
  type ShipmentRecordMessage,
} from '../../server/domain/integration/publish-shipment-record';
import { createReadyShipment, createWorld, worldInstant, type World } from '../fixtures/world';

// The branch jobs read everything in one statement and write in one, so what used to be
// guarded by reading after each lock is tested here: runs that another transaction creates
// while slotting waits, slotting that creates its own runs in a burst, the audit chain of a
// shipment whose branches write at the same time, a rate card changed under the contract
// cache, and the ERP record's nested times and decimals.

const db = createPrisma(process.env.DATABASE_URL, 20);
afterAll(() => db.$disconnect());

const ofKg = (kg: number) => ({ quantity: kg / 2.5 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function runOf(world: World, day: number) {
  return nextDeparture([world.departure], world.timeZone, worldInstant(world, day, 0))!;
}

async function tripsOf(world: World) {
  return db.trip.findMany({
    where: { departureId: world.departure.id },
    include: { bookings: { where: { status: 'BOOKED' } } },
    orderBy: { departsAt: 'asc' },
  });
}

describe('slotting, where it creates the next runs', () => {
  it('finds a run that another transaction created while slotting waited for its key', async () => {
    const world = await createWorld(db);
    const a = await createReadyShipment(db, world, ofKg(600));
    const b = await createReadyShipment(db, world, ofKg(600));
    await slotShipment(db, a.shipmentId);

    // The gate plans tomorrow's run for another shipment and commits only after slotting asked.
    let created = '';
    const planner = db.$transaction(async (tx) => {
      created = await ensureTrip(tx, runOf(world, 1));
      await sleep(400);
    });
    await sleep(100);
    const outcome = await slotShipment(db, b.shipmentId);
    await planner;

    expect(outcome).toMatchObject({ status: 'booked', tripId: created });
    const day1 = (await tripsOf(world)).filter((t) => t.id === created);
    expect(day1).toHaveLength(1);
  });

  it('never oversells when a burst creates the runs itself', async () => {
    const world = await createWorld(db);
    const shipments = [];
    for (let i = 0; i < 8; i += 1) shipments.push(await createReadyShipment(db, world, ofKg(400)));

    const outcomes = await Promise.all(shipments.map((s) => slotShipment(db, s.shipmentId)));

    expect(outcomes.filter((o) => o.status === 'booked')).toHaveLength(6);
    expect(outcomes.filter((o) => o.status === 'no_capacity')).toHaveLength(2);
    const trips = await tripsOf(world);
    expect(trips.map((t) => t.serviceDate.toISOString().slice(0, 10))).toEqual(
      [0, 1, 2].map((day) => runOf(world, day).serviceDate),
    );
    for (const trip of trips) {
      expect(trip.bookings).toHaveLength(2);
      const kg = trip.bookings.reduce((sum, bk) => sum + Number(bk.weightKg), 0);
      expect(kg).toBeLessThanOrEqual(1000);
      expect(new Set(trip.bookings.map((bk) => bk.vehicleId))).toEqual(new Set([trip.vehicleId]));
    }
  });
});

describe('the branches of one shipment at the same time', () => {
  it('keep its audit chain whole, one row after another', async () => {
    const world = await createWorld(db);
    const s = await createReadyShipment(db, world, ofKg(300));

    await Promise.all([
      slotShipment(db, s.shipmentId),
      prevalidateBilling(db, s.shipmentId),
      prevalidateBilling(db, s.shipmentId),
      publishShipmentRecord(db, s.shipmentId),
    ]);

    const rows = await db.auditLog.findMany({
      where: { entityType: 'Shipment', entityId: s.shipmentId },
      orderBy: { seq: 'asc' },
    });
    expect(rows.map((r) => r.action).sort()).toEqual([
      'billing.prevalidated',
      'billing.prevalidated',
      'dispatch.slotted',
    ]);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(firstBrokenLink(rows)).toBeNull();
    const live = await db.charge.findMany({ where: { shipmentId: s.shipmentId, voidedAt: null } });
    expect(new Set(live.map((c) => c.kind)).size).toBe(live.length);
  });
});

describe('billing with cached contracts', () => {
  it('rates by a rate card changed since the last run', async () => {
    const world = await createWorld(db);
    const s = await createReadyShipment(db, world, { quantity: 240, volumeM3: '1.0' });
    const first = await prevalidateBilling(db, s.shipmentId);
    await db.laneRateBreak.updateMany({
      where: { lane: { contractId: world.contractId }, minWeightKg: '500' },
      data: { ratePerKg: '0.45' },
    });

    const second = await prevalidateBilling(db, s.shipmentId);

    // 600 kg at 0.40 = 240.00, then at 0.45 = 270.00; 15 % fuel, then 7.25 % tax, each rounded.
    expect(first).toMatchObject({ status: 'rated', total: '296.0100' });
    expect(second).toMatchObject({ status: 'rated', total: '333.0100', voided: 3 });
    const freight = await db.charge.findFirstOrThrow({
      where: { shipmentId: s.shipmentId, voidedAt: null, kind: 'FREIGHT' },
    });
    expect(freight.amount.toFixed(2)).toBe('270.00');
  });
});

describe('the ERP record', () => {
  it('carries the booking and planned trip times and the measured decimals exactly', async () => {
    const world = await createWorld(db);
    const s = await createReadyShipment(db, world, { ...ofKg(300), volumeM3: '1.2345' });
    const booked = await slotShipment(db, s.shipmentId);
    if (booked.status !== 'booked') throw new Error(booked.status);

    const published = await publishShipmentRecord(db, s.shipmentId);

    if (published.status !== 'queued') throw new Error(published.status);
    const message = await db.outboxMessage.findUniqueOrThrow({ where: { id: published.outboxId } });
    const record = (message.payload as unknown as ShipmentRecordMessage).shipment;
    const trip = await db.trip.findUniqueOrThrow({ where: { id: s.plannedTripId! } });
    expect(record.plannedTrip).toEqual({
      tripId: trip.id,
      routeCode: world.routeCode,
      serviceDate: trip.serviceDate.toISOString().slice(0, 10),
      departsAt: trip.departsAt.toISOString(),
      cutoffAt: trip.cutoffAt.toISOString(),
    });
    expect(record.booking).toMatchObject({
      tripId: booked.tripId,
      status: 'BOOKED',
      slotStart: booked.slotStart.toISOString(),
      slotEnd: booked.slotEnd.toISOString(),
    });
    expect(record).toMatchObject({ weightKg: '300', volumeM3: '1.2345', holds: [] });
  });
});
