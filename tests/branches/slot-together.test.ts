import { afterAll, describe, expect, it } from 'vitest';
import { createPrisma } from '../../server/db/client';
import { ensureTrip } from '../../server/domain/dispatch/candidate-trips';
import { nextDeparture } from '../../server/domain/dispatch/departures';
import { slotShipment, type SlotOutcome } from '../../server/domain/dispatch/slot-shipment';
import { slotTogether } from '../../server/domain/dispatch/slot-together';
import {
  createReadyShipment,
  createTrips,
  createWorld,
  worldInstant,
  type World,
} from '../fixtures/world';
import { queuedItems } from './jobs';
import { auditChainOf, exceptionsOf, labelsOf } from './twins';

// Slotting made together (slotTogether, the batch job's form) against slotting one shipment at
// a time: the same bookings, trips, shipments, audit chains, CAPACITY exceptions and ERP
// publications in twin worlds of two sites each; and capacity never oversold, whether one
// batch holds more shipments than fit or two batches of one site run at once.

const db = createPrisma(process.env.DATABASE_URL, 20);
afterAll(() => db.$disconnect());

const ofKg = (kg: number) => ({ quantity: kg / 2.5 });

const FLEET = {
  vehicles: [
    { maxWeightKg: '1000', maxVolumeM3: '20' },
    { maxWeightKg: '700', maxVolumeM3: '10', dgClasses: ['3'] },
  ],
  dockDoors: 2,
};

interface Case {
  kg: number;
  dangerousGoods?: boolean;
  held?: boolean;
  plannedTrip?: null;
  /** Planned on the early departure (14:00), which shares the site's fleet and doors. */
  early?: boolean;
  /** Slotted before the batch (already booked), or tried without a trip (CAPACITY open). */
  before?: 'booked' | 'capacity-open';
}

// Staged five minutes apart in this order, so that one at a time (by staging) and together
// (by staging, then id) take them in the same order in both twins.
const CASES: Case[] = [
  { kg: 600 },
  { kg: 400, early: true },
  { kg: 300 },
  { kg: 450, dangerousGoods: true },
  { kg: 500, early: true },
  { kg: 200, before: 'booked' },
  { kg: 700 },
  { kg: 1500 },
  { kg: 200, held: true },
  { kg: 100, plannedTrip: null },
  { kg: 250, before: 'capacity-open' },
  { kg: 350, early: true },
  { kg: 150 },
  { kg: 50, early: true },
];

const EARLY = { weekdays: [0, 1, 2, 3, 4, 5, 6], departMinute: 840, cutoffMinute: 720 };

/** A world of FLEET with a second, earlier departure on its route every day. */
async function siteWorld() {
  const world = await createWorld(db, FLEET);
  await db.routeDeparture.create({ data: { routeId: world.routeId, ...EARLY } });

  return world;
}

/** Plans the shipment on the day-0 run of the world's early departure. */
async function planEarly(world: World, shipmentId: string) {
  const early = await db.routeDeparture.findFirstOrThrow({
    where: { routeId: world.routeId, departMinute: EARLY.departMinute },
  });
  const rule = { ...early, weekdays: [...early.weekdays] };
  const run = nextDeparture([rule], world.timeZone, worldInstant(world, 0, 600))!;
  const tripId = await db.$transaction((tx) => ensureTrip(tx, run));
  await db.shipment.update({ where: { id: shipmentId }, data: { plannedTripId: tripId } });
}

/** A site's shipments of CASES, with what they had before the batch. */
async function siteShipments(world: World): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, c] of CASES.entries()) {
    const s = await createReadyShipment(db, world, {
      ref: `SH-${world.suffix}-${i}`,
      stagedAt: worldInstant(world, 0, 600 + 5 * i),
      ...ofKg(c.kg),
      dangerousGoods: c.dangerousGoods ?? false,
      ...(c.plannedTrip === null || c.before === 'capacity-open' ? { plannedTrip: null } : {}),
    });
    if (c.early) await planEarly(world, s.shipmentId);
    if (c.held) {
      await db.shipment.update({
        where: { id: s.shipmentId },
        data: { readiness: 'HELD', status: 'HELD' },
      });
    }
    if (c.before === 'booked') await slotShipment(db, s.shipmentId);
    if (c.before === 'capacity-open') {
      // No trip then: the exception opens; the gate plans one later, and the batch books it.
      await slotShipment(db, s.shipmentId);
      const run = nextDeparture([world.departure], world.timeZone, worldInstant(world, 0, 600))!;
      const tripId = await db.$transaction((tx) => ensureTrip(tx, run));
      await db.shipment.update({ where: { id: s.shipmentId }, data: { plannedTripId: tripId } });
    }
    ids.push(s.shipmentId);
  }

  return ids;
}

/** Everything slotting leaves for `ids` in `worlds`, told in labels the twins share. */
async function snapshot(worlds: World[], ids: string[], outcomes: SlotOutcome[]) {
  const label = await labelsOf(db, worlds, ids);
  const shipments = [];
  for (const id of ids) {
    const s = await db.shipment.findUniqueOrThrow({
      where: { id },
      include: { bookings: { orderBy: { bookedAt: 'asc' } } },
    });
    shipments.push({
      status: s.status,
      readiness: s.readiness,
      slotted: s.slottedAt !== null,
      bookings: s.bookings.map((b) => ({
        trip: b.tripId,
        vehicle: b.vehicleId,
        door: b.dockDoorId,
        slotStart: b.slotStart,
        slotEnd: b.slotEnd,
        weightKg: b.weightKg,
        volumeM3: b.volumeM3,
        status: b.status,
      })),
      audit: await auditChainOf(db, id),
      exceptions: await exceptionsOf(db, id),
    });
  }
  const trips = await db.trip.findMany({
    where: { departure: { routeId: { in: worlds.map((w) => w.routeId) } } },
  });
  const published = (await queuedItems<{ shipmentId: string }>(db, 'publish_shipment_record'))
    .map((p) => p.shipmentId)
    .filter((id) => ids.includes(id));
  const sorted = (values: unknown) => (values as string[]).map((v) => JSON.stringify(v)).sort();

  return {
    ...(label({ outcomes, shipments }) as object),
    trips: sorted(label(trips.map((t) => ({ id: t.id, vehicle: t.vehicleId, status: t.status })))),
    published: sorted(label([...new Set(published)])),
  };
}

describe('slotting made together', () => {
  it('leaves the same rows as one shipment at a time, across two sites', async () => {
    const together = [await siteWorld(), await siteWorld()];
    const alone = [await siteWorld(), await siteWorld()];
    const t = [...(await siteShipments(together[0]!)), ...(await siteShipments(together[1]!))];
    const a = [...(await siteShipments(alone[0]!)), ...(await siteShipments(alone[1]!))];

    // Together in any order of the batch; one at a time in the order of staging, site by site.
    const made = await slotTogether(db, [...t].reverse());
    const one: SlotOutcome[] = [];
    for (const id of a) one.push(await slotShipment(db, id));

    const outcomes = t.map((id) => made.get(id)!);
    const statuses = outcomes.map((o) => o.status);
    for (const status of ['booked', 'skipped', 'no_capacity']) expect(statuses).toContain(status);
    expect(await snapshot(together, t, outcomes)).toEqual(await snapshot(alone, a, one));
  });

  it('never oversells when one batch holds more shipments than fit', async () => {
    const world = await createWorld(db);
    const ids: string[] = [];
    for (let i = 0; i < 8; i += 1)
      ids.push((await createReadyShipment(db, world, ofKg(400))).shipmentId);

    const outcomes = [...(await slotTogether(db, ids)).values()];

    // Two 400 kg shipments fit a 1,000 kg truck: three trips take six, two are left over.
    expect(outcomes.filter((o) => o.status === 'booked')).toHaveLength(6);
    expect(outcomes.filter((o) => o.status === 'no_capacity')).toHaveLength(2);
    await expectNothingOversold(world);
  });

  it('never oversells when two batches of one site run at once', async () => {
    const world = await createWorld(db, { dockDoors: 2 });
    await createTrips(db, world, 3);
    const ids: string[] = [];
    for (let i = 0; i < 10; i += 1)
      ids.push((await createReadyShipment(db, world, ofKg(400))).shipmentId);

    const batches = await Promise.all([
      slotTogether(db, ids.slice(0, 5)),
      slotTogether(db, ids.slice(5)),
    ]);

    const outcomes = batches.flatMap((b) => [...b.values()]);
    expect(outcomes.filter((o) => o.status === 'booked')).toHaveLength(6);
    expect(outcomes.filter((o) => o.status === 'no_capacity')).toHaveLength(4);
    await expectNothingOversold(world);
  });
});

/** No trip carries more than its vehicle takes, or two vehicles; no door has two slots at once. */
async function expectNothingOversold(world: World) {
  const trips = await db.trip.findMany({
    where: { departureId: world.departure.id },
    include: { bookings: { where: { status: 'BOOKED' } }, vehicle: true },
  });
  for (const trip of trips) {
    const kg = trip.bookings.reduce((sum, b) => sum + Number(b.weightKg), 0);
    if (trip.bookings.length > 0) expect(kg).toBeLessThanOrEqual(Number(trip.vehicle!.maxWeightKg));
    expect(new Set(trip.bookings.map((b) => b.vehicleId))).toEqual(
      new Set(trip.bookings.length > 0 ? [trip.vehicleId] : []),
    );
  }
  const slots = trips
    .flatMap((t) => t.bookings)
    .sort((x, y) => x.slotStart.getTime() - y.slotStart.getTime());
  for (const door of world.dockDoorIds) {
    const onDoor = slots.filter((b) => b.dockDoorId === door);
    for (let i = 1; i < onDoor.length; i += 1)
      expect(onDoor[i]!.slotStart.getTime()).toBeGreaterThanOrEqual(
        onDoor[i - 1]!.slotEnd.getTime(),
      );
  }
}
