import type { Tx } from '../../db/client';
import { decimal, sum } from '../../lib/money';
import type { CandidateTripRow } from './candidate-trips';
import type { CandidateTrip, DockDoorSlots, SlotVehicle } from './slotting-rules';

// Reads the site's fleet and dock doors, with what is already booked on them, into the plain
// shapes `chooseSlotting` takes. The caller holds the locks that make these reads safe to book
// against: the candidate trips and the site's dock doors (see slot-shipment.ts).

export interface SlottingSettings {
  /** How long loading one shipment holds a dock door. */
  slotMinutes: number;
  /** How many runs of the planned departure are tried, the planned one included. */
  tripsAhead: number;
}

export const DEFAULT_SLOTTING: SlottingSettings = { slotMinutes: 30, tripsAhead: 3 };

function positiveInt(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;
}

/** Settings row `dispatch.slotting` ({ slotMinutes, tripsAhead }), then the caller's overrides. */
export async function loadSlottingSettings(
  tx: Tx,
  overrides: Partial<SlottingSettings> = {},
): Promise<SlottingSettings> {
  const row = await tx.setting.findUnique({ where: { key: 'dispatch.slotting' } });
  const stored = (row?.value ?? {}) as Partial<Record<keyof SlottingSettings, unknown>>;

  return {
    slotMinutes: positiveInt(
      overrides.slotMinutes ?? stored.slotMinutes,
      DEFAULT_SLOTTING.slotMinutes,
    ),
    tripsAhead: positiveInt(overrides.tripsAhead ?? stored.tripsAhead, DEFAULT_SLOTTING.tripsAhead),
  };
}

/** Locks the site's active doors in id order: every trip of the site loads through them. */
export async function lockDockDoors(tx: Tx, siteId: string): Promise<void> {
  await tx.$queryRaw`
    SELECT id FROM dock_doors WHERE site_id = ${siteId}::uuid AND active
    ORDER BY id FOR NO KEY UPDATE`;
}

const dayKey = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Vehicles each trip may run with: its assigned vehicle, or else any active vehicle of the site
 * not already assigned to another run that day.
 */
async function fleetByTrip(tx: Tx, siteId: string, trips: readonly CandidateTripRow[]) {
  const vehicles = await tx.vehicle.findMany({ where: { siteId, active: true } });
  // KNOWN LIMIT: one run per vehicle per day, because trips carry no return time to tell
  // whether a vehicle is back in time for a second run. Goes when trips get an arrival time.
  const busy = await tx.trip.findMany({
    where: {
      vehicleId: { in: vehicles.map((v) => v.id) },
      serviceDate: { in: trips.map((t) => t.serviceDate) },
      status: { in: ['PLANNED', 'LOADING'] },
    },
    select: { id: true, vehicleId: true, serviceDate: true },
  });

  return new Map(
    trips.map((trip) => {
      const taken = new Set(
        busy
          .filter((b) => b.id !== trip.id && dayKey(b.serviceDate) === dayKey(trip.serviceDate))
          .map((b) => b.vehicleId),
      );
      const fleet = trip.vehicleId
        ? vehicles.filter((v) => v.id === trip.vehicleId)
        : vehicles.filter((v) => !taken.has(v.id));

      return [trip.id, fleet] as const;
    }),
  );
}

/** The trips with their vehicles and the weight and volume already booked on each. */
export async function loadCandidateTrips(
  tx: Tx,
  siteId: string,
  trips: readonly CandidateTripRow[],
): Promise<CandidateTrip[]> {
  const fleets = await fleetByTrip(tx, siteId, trips);
  const bookings = await tx.dispatchBooking.findMany({
    where: { tripId: { in: trips.map((t) => t.id) }, status: { not: 'CANCELLED' } },
    select: { tripId: true, vehicleId: true, weightKg: true, volumeM3: true },
  });

  return trips.map((trip) => {
    const vehicles: SlotVehicle[] = (fleets.get(trip.id) ?? []).map((v) => {
      const onIt = bookings.filter((b) => b.tripId === trip.id && b.vehicleId === v.id);

      return {
        vehicleId: v.id,
        maxWeightKg: decimal(v.maxWeightKg),
        maxVolumeM3: decimal(v.maxVolumeM3),
        dgClasses: v.dgClasses,
        bookedWeightKg: sum(onIt.map((b) => b.weightKg)),
        bookedVolumeM3: sum(onIt.map((b) => b.volumeM3)),
      };
    });

    return { tripId: trip.id, departsAt: trip.departsAt, cutoffAt: trip.cutoffAt, vehicles };
  });
}

/** The site's active doors with their bookings that overlap [from, to). */
export async function loadDockDoors(
  tx: Tx,
  siteId: string,
  from: Date,
  to: Date,
): Promise<DockDoorSlots[]> {
  const doors = await tx.dockDoor.findMany({
    where: { siteId, active: true },
    select: {
      id: true,
      code: true,
      bookings: {
        where: { status: { not: 'CANCELLED' }, slotEnd: { gt: from }, slotStart: { lt: to } },
        select: { slotStart: true, slotEnd: true },
      },
    },
    orderBy: { code: 'asc' },
  });

  return doors.map((d) => ({
    dockDoorId: d.id,
    code: d.code,
    slots: d.bookings.map((b) => ({ start: b.slotStart, end: b.slotEnd })),
  }));
}
