import { afterAll, describe, expect, it } from 'vitest';
import { createPrisma } from '../../server/db/client';
import { capacityKey, slotShipment } from '../../server/domain/dispatch/slot-shipment';
import {
  createReadyShipment,
  createTrips,
  createWorld,
  worldInstant,
  type World,
} from '../fixtures/world';
import { queuedItems } from './jobs';

// Slotting against the real database: the earliest trip with room and a dock slot before its
// departure, capacity that two concurrent jobs cannot both take, idempotent reruns, and
// NO_CAPACITY as one dispatch exception while the shipment stays READY.

const db = createPrisma(process.env.DATABASE_URL, 20);
afterAll(() => db.$disconnect());

const MINUTE = 60_000;

/** Units of the world's SKU (2.5 kg each) that weigh `kg`. */
const ofKg = (kg: number) => ({ quantity: kg / 2.5 });

async function tripOf(world: World, day: number) {
  return db.trip.findFirstOrThrow({
    where: { departureId: world.departure.id, departsAt: worldInstant(world, day, 1080) },
  });
}

async function liveBookings(tripId: string) {
  return db.dispatchBooking.findMany({
    where: { tripId, status: 'BOOKED' },
    orderBy: { slotStart: 'asc' },
  });
}

describe('slotShipment', () => {
  it('books the planned trip, best vehicle and last dock slot before departure', async () => {
    const world = await createWorld(db, { dockDoors: 2 });
    const a = await createReadyShipment(db, world, ofKg(600));

    const outcome = await slotShipment(db, a.shipmentId);

    expect(outcome.status).toBe('booked');
    if (outcome.status !== 'booked') return;
    const trip = await tripOf(world, 0);
    expect(outcome.tripId).toBe(a.plannedTripId);
    expect(outcome.tripId).toBe(trip.id);
    expect(outcome.slotEnd).toEqual(trip.departsAt);
    expect(outcome.slotEnd.getTime() - outcome.slotStart.getTime()).toBe(30 * MINUTE);
    expect(world.dockDoorIds).toContain(outcome.dockDoorId);
    expect(trip.vehicleId).toBe(world.vehicleIds[0]);
    const shipment = await db.shipment.findUniqueOrThrow({ where: { id: a.shipmentId } });
    expect(shipment.status).toBe('SLOTTED');
    expect(shipment.readiness).toBe('READY');
    expect(shipment.slottedAt).not.toBeNull();
    const booking = await db.dispatchBooking.findUniqueOrThrow({
      where: { id: outcome.bookingId },
    });
    expect(booking.weightKg.toString()).toBe('600');
    const audit = await db.auditLog.findMany({
      where: { entityId: a.shipmentId, action: 'dispatch.slotted' },
    });
    expect(audit).toHaveLength(1);
    const publish = await queuedItems(db, 'publish_shipment_record');
    expect(publish.filter((p) => p.shipmentId === a.shipmentId)).toEqual([
      { shipmentId: a.shipmentId },
    ]);
  });

  it("reads a run's load summed and a door's bookings as unbroken busy stretches", async () => {
    const world = await createWorld(db, { dockDoors: 1 });
    for (const kg of [100, 200, 300]) {
      const s = await createReadyShipment(db, world, ofKg(kg));
      expect((await slotShipment(db, s.shipmentId)).status).toBe('booked');
    }
    const trip = await tripOf(world, 0);
    // Slotting packs the door's slots back to back, latest first: 16:30 to 18:00 in one.
    expect((await liveBookings(trip.id)).map((b) => b.slotStart.toISOString())).toEqual(
      [1, 2, 3]
        .map((n) => new Date(trip.departsAt.getTime() - n * 30 * MINUTE).toISOString())
        .reverse(),
    );
    const runs = [
      {
        departure_id: trip.departureId,
        service_date: world.day0,
        departs_at: trip.departsAt,
        cutoff_at: trip.cutoffAt,
      },
    ];
    const [row] = await db.$queryRaw<{ capacity: { bookings: unknown[]; doors: unknown[] } }[]>`
      SELECT slotting_capacity(${world.siteId}::uuid, ${JSON.stringify(runs)}::json,
        ${new Date(trip.departsAt.getTime() - 24 * 60 * MINUTE)}) AS capacity`;

    expect(row!.capacity.bookings).toEqual([
      { tripId: trip.id, vehicleId: trip.vehicleId, weightKg: '600.000', volumeM3: '3.0000' },
    ]);
    expect(row!.capacity.doors).toEqual([
      {
        id: world.dockDoorIds[0],
        code: 'D1',
        slots: [
          {
            start: new Date(trip.departsAt.getTime() - 90 * MINUTE).toISOString(),
            end: trip.departsAt.toISOString(),
          },
        ],
      },
    ]);
  });

  it('puts a shipment on the next trip when the planned one has no room left', async () => {
    const world = await createWorld(db);
    const a = await createReadyShipment(db, world, ofKg(600));
    const b = await createReadyShipment(db, world, ofKg(600));
    const c = await createReadyShipment(db, world, ofKg(300));

    const [first, second, third] = [
      await slotShipment(db, a.shipmentId),
      await slotShipment(db, b.shipmentId),
      await slotShipment(db, c.shipmentId),
    ];

    const [day0, day1] = [await tripOf(world, 0), await tripOf(world, 1)];
    expect(first).toMatchObject({ status: 'booked', tripId: day0.id });
    // 600 + 600 kg is more than the 1,000 kg truck: B waits for tomorrow's run.
    expect(second).toMatchObject({ status: 'booked', tripId: day1.id, slotEnd: day1.departsAt });
    // C still fits beside A, in the door's slot before A's.
    expect(third).toMatchObject({ status: 'booked', tripId: day0.id });
    if (third.status !== 'booked' || first.status !== 'booked') return;
    expect(third.slotEnd).toEqual(first.slotStart);
    expect(b.plannedTripId).toBe(day0.id);
  });

  it('moves to the next trip when loading could no longer start in time', async () => {
    const world = await createWorld(db);
    const a = await createReadyShipment(db, world, ofKg(100));
    const b = await createReadyShipment(db, world, ofKg(100));
    // The clock is 17:20: only the 17:30 slot is left today, and A takes it.
    const now = worldInstant(world, 0, 17 * 60 + 20);

    const first = await slotShipment(db, a.shipmentId, { now });
    const second = await slotShipment(db, b.shipmentId, { now });

    expect(first).toMatchObject({ status: 'booked', tripId: (await tripOf(world, 0)).id });
    expect(second).toMatchObject({ status: 'booked', tripId: (await tripOf(world, 1)).id });
  });

  it('books a dangerous-goods shipment only on a certified vehicle', async () => {
    const world = await createWorld(db, {
      vehicles: [
        { maxWeightKg: '1000', maxVolumeM3: '20' },
        { maxWeightKg: '5000', maxVolumeM3: '40', dgClasses: ['3'] },
      ],
    });
    const dg = await createReadyShipment(db, world, { ...ofKg(300), dangerousGoods: true });

    const outcome = await slotShipment(db, dg.shipmentId);

    expect(outcome).toMatchObject({ status: 'booked', vehicleId: world.vehicleIds[1] });
  });

  it('books once when run twice, one after the other or at the same time', async () => {
    const world = await createWorld(db);
    const a = await createReadyShipment(db, world, ofKg(200));
    const b = await createReadyShipment(db, world, ofKg(200));

    const sequential = [await slotShipment(db, a.shipmentId), await slotShipment(db, a.shipmentId)];
    const concurrent = await Promise.all([
      slotShipment(db, b.shipmentId),
      slotShipment(db, b.shipmentId),
    ]);

    expect(sequential.map((o) => o.status)).toEqual(['booked', 'skipped']);
    expect(sequential[1]).toEqual({ status: 'skipped', reason: 'ALREADY_BOOKED' });
    expect(concurrent.map((o) => o.status).sort()).toEqual(['booked', 'skipped']);
    for (const s of [a, b]) {
      expect(await db.dispatchBooking.count({ where: { shipmentId: s.shipmentId } })).toBe(1);
    }
  });

  it('skips a shipment that is not READY', async () => {
    const world = await createWorld(db);
    const a = await createReadyShipment(db, world, ofKg(200));
    await db.shipment.update({
      where: { id: a.shipmentId },
      data: { readiness: 'HELD', status: 'HELD' },
    });

    expect(await slotShipment(db, a.shipmentId)).toEqual({
      status: 'skipped',
      reason: 'NOT_READY',
    });
    expect(await db.dispatchBooking.count({ where: { shipmentId: a.shipmentId } })).toBe(0);
  });
});

describe('slotShipment under concurrency', () => {
  it('gives the last room on a trip to one of two shipments racing for it', async () => {
    const world = await createWorld(db);
    // Trips made beforehand, so that neither job waits on the other creating one.
    await createTrips(db, world, 3);
    const [a, b] = [
      await createReadyShipment(db, world, ofKg(600)),
      await createReadyShipment(db, world, ofKg(600)),
    ];

    const outcomes = await Promise.all([
      slotShipment(db, a.shipmentId),
      slotShipment(db, b.shipmentId),
    ]);

    const [day0, day1] = [await tripOf(world, 0), await tripOf(world, 1)];
    const trips = outcomes.map((o) => (o.status === 'booked' ? o.tripId : o.status)).sort();
    expect(trips).toEqual([day0.id, day1.id].sort());
    expect(await liveBookings(day0.id)).toHaveLength(1);
  });

  it('never oversells a trip or double-books a door in a burst', async () => {
    const world = await createWorld(db);
    await createTrips(db, world, 3);
    const shipments = [];
    for (let i = 0; i < 8; i += 1) shipments.push(await createReadyShipment(db, world, ofKg(400)));

    const outcomes = await Promise.all(
      shipments.map((s) => slotShipment(db, s.shipmentId, { tripsAhead: 3 })),
    );

    // Two 400 kg shipments fit a 1,000 kg truck: three trips take six, two are left over.
    expect(outcomes.filter((o) => o.status === 'booked')).toHaveLength(6);
    expect(outcomes.filter((o) => o.status === 'no_capacity')).toHaveLength(2);
    const bookings = await db.dispatchBooking.findMany({
      where: { trip: { departureId: world.departure.id }, status: 'BOOKED' },
      orderBy: { slotStart: 'asc' },
    });
    for (const day of [0, 1, 2]) {
      const trip = await tripOf(world, day);
      const onTrip = bookings.filter((bk) => bk.tripId === trip.id);
      expect(onTrip).toHaveLength(2);
      expect(onTrip.reduce((kg, bk) => kg + Number(bk.weightKg), 0)).toBeLessThanOrEqual(1000);
    }
    // One door: no two slots on it may overlap.
    for (let i = 1; i < bookings.length; i += 1) {
      expect(bookings[i]!.slotStart.getTime()).toBeGreaterThanOrEqual(
        bookings[i - 1]!.slotEnd.getTime(),
      );
    }
  });
});

describe('slotShipment without capacity', () => {
  it('opens one CAPACITY exception for dispatch and leaves the shipment READY', async () => {
    const world = await createWorld(db);
    const big = await createReadyShipment(db, world, ofKg(1500));

    const outcomes = [
      await slotShipment(db, big.shipmentId),
      await slotShipment(db, big.shipmentId),
    ];

    expect(outcomes.map((o) => o.status)).toEqual(['no_capacity', 'no_capacity']);
    const open = await db.exception.findMany({ where: { dedupeKey: capacityKey(big.shipmentId) } });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      type: 'CAPACITY',
      ownerTeam: 'DISPATCH',
      teamId: world.teamIds.DISPATCH,
      status: 'OPEN',
      shipmentId: big.shipmentId,
    });
    expect((open[0]!.detail as { trips: unknown[] }).trips).toHaveLength(3);
    const shipment = await db.shipment.findUniqueOrThrow({ where: { id: big.shipmentId } });
    expect(shipment).toMatchObject({ readiness: 'READY', status: 'READY', slottedAt: null });
    expect(await db.hold.count({ where: { shipmentId: big.shipmentId } })).toBe(0);
  });

  it('resolves the CAPACITY exception once a later run books the shipment', async () => {
    const world = await createWorld(db);
    const big = await createReadyShipment(db, world, ofKg(1500));
    await slotShipment(db, big.shipmentId);
    await db.vehicle.create({
      data: {
        code: `V-${world.suffix}-BIG`,
        siteId: world.siteId,
        kind: 'TRAILER',
        maxWeightKg: '24000',
        maxVolumeM3: '80',
      },
    });

    const outcome = await slotShipment(db, big.shipmentId);

    expect(outcome.status).toBe('booked');
    const exception = await db.exception.findFirstOrThrow({
      where: { dedupeKey: capacityKey(big.shipmentId) },
    });
    expect(exception).toMatchObject({ status: 'RESOLVED', resolutionCode: 'RESOLVED_BY_FACTS' });
  });

  it('opens the exception when the gate planned no trip at all', async () => {
    const world = await createWorld(db);
    const lost = await createReadyShipment(db, world, { ...ofKg(100), plannedTrip: null });

    const outcome = await slotShipment(db, lost.shipmentId);

    expect(outcome.status).toBe('no_capacity');
    const exception = await db.exception.findFirstOrThrow({
      where: { dedupeKey: capacityKey(lost.shipmentId) },
    });
    expect(exception.title).toMatch(/no planned departure/);
  });
});
