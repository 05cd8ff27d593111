import { decimal, type Decimal } from '../../lib/money';
import { BOOKABLE, runKey, type CandidateTripRow } from './candidate-trips';
import type { PlannedDeparture } from './departures';
import type { CandidateTrip, DockDoorSlots, SlotAssignment } from './slotting-rules';

// A site's capacity as slotting reads it (slotting_capacity: its runs, fleet, the vehicles busy
// on those days, what is booked on the runs and the doors' slots), held in memory so that the
// slotting runs of several shipments made together (slot-together.ts) each see the bookings the
// ones before them made, as they would have read them one transaction after another. Numbers
// come as text and are kept as Decimal; times as ISO text, kept as Date.

interface TripJson extends Omit<CandidateTripRow, 'departsAt' | 'cutoffAt'> {
  departsAt: string;
  cutoffAt: string;
}

/** slotting_capacity's answer. */
export interface CapacityRow {
  trips: TripJson[];
  vehicles: { id: string; maxWeightKg: string; maxVolumeM3: string; dgClasses: string[] }[];
  busy: { id: string; vehicleId: string; serviceDate: string }[];
  bookings: { tripId: string; vehicleId: string; weightKg: string; volumeM3: string }[];
  doors: { id: string; code: string; slots: { start: string; end: string }[] }[];
}

export interface SlottingCapacity {
  /** The runs found, locked or created here, in departure order; not bookable ones left out. */
  trips: CandidateTripRow[];
  candidates: CandidateTrip[];
  doors: DockDoorSlots[];
}

interface Load {
  weightKg: Decimal;
  volumeM3: Decimal;
}

export interface SiteCapacity {
  /** Bookable runs, in departure order. */
  trips: CandidateTripRow[];
  vehicles: { id: string; maxWeightKg: Decimal; maxVolumeM3: Decimal; dgClasses: string[] }[];
  busy: { id: string; vehicleId: string; serviceDate: string }[];
  /** What is booked on each run's vehicle, by `tripId:vehicleId`. */
  booked: Map<string, Load>;
  doors: { dockDoorId: string; code: string; slots: { start: Date; end: Date }[] }[];
}

const bookedKey = (tripId: string, vehicleId: string) => `${tripId}:${vehicleId}`;

function addLoad(
  booked: Map<string, Load>,
  key: string,
  add: { weightKg: string; volumeM3: string },
) {
  const load = booked.get(key);
  booked.set(key, {
    weightKg: load ? load.weightKg.plus(decimal(add.weightKg)) : decimal(add.weightKg),
    volumeM3: load ? load.volumeM3.plus(decimal(add.volumeM3)) : decimal(add.volumeM3),
  });
}

export function siteCapacity(row: CapacityRow): SiteCapacity {
  const booked = new Map<string, Load>();
  for (const b of row.bookings) addLoad(booked, bookedKey(b.tripId, b.vehicleId), b);

  return {
    trips: row.trips
      .map((t) => ({ ...t, departsAt: new Date(t.departsAt), cutoffAt: new Date(t.cutoffAt) }))
      .filter((t) => BOOKABLE.includes(t.status))
      .sort((a, b) => a.departsAt.getTime() - b.departsAt.getTime()),
    vehicles: row.vehicles.map((v) => ({
      ...v,
      maxWeightKg: decimal(v.maxWeightKg),
      maxVolumeM3: decimal(v.maxVolumeM3),
    })),
    busy: [...row.busy],
    booked,
    doors: row.doors.map((d) => ({
      dockDoorId: d.id,
      code: d.code,
      slots: d.slots.map((s) => ({ start: new Date(s.start), end: new Date(s.end) })),
    })),
  };
}

/**
 * What one shipment may book: the site's runs among `runs` (all of them when not given), each
 * with its vehicles, and the doors. Doors carry every slot read, a wider window than the
 * shipment's own (from the earliest clock of the shipments read together to the last of their
 * departures): a slot outside the shipment's window can neither overlap one it may take nor
 * end one it may take later, so the choice is the same.
 */
export function capacityFor(
  site: SiteCapacity,
  runs?: readonly PlannedDeparture[],
): SlottingCapacity {
  const keys = runs && new Set(runs.map(runKey));
  const trips = keys ? site.trips.filter((t) => keys.has(runKey(t))) : site.trips;

  return {
    trips,
    candidates: trips.map((trip) => ({
      tripId: trip.id,
      departsAt: trip.departsAt,
      cutoffAt: trip.cutoffAt,
      vehicles: fleetOf(site, trip),
    })),
    doors: site.doors,
  };
}

/**
 * Vehicles the trip may run with: its assigned vehicle, or else any active vehicle of the site
 * not already assigned to another run that day, each with what is booked on it on this trip.
 */
function fleetOf(site: SiteCapacity, trip: CandidateTripRow) {
  // KNOWN LIMIT: one run per vehicle per day, because trips carry no return time to tell
  // whether a vehicle is back in time for a second run. Goes when trips get an arrival time.
  const taken = new Set(
    site.busy
      .filter((b) => b.id !== trip.id && b.serviceDate === trip.serviceDate)
      .map((b) => b.vehicleId),
  );
  const fleet = trip.vehicleId
    ? site.vehicles.filter((v) => v.id === trip.vehicleId)
    : site.vehicles.filter((v) => !taken.has(v.id));

  return fleet.map((v) => {
    const onIt = site.booked.get(bookedKey(trip.id, v.id));

    return {
      vehicleId: v.id,
      maxWeightKg: v.maxWeightKg,
      maxVolumeM3: v.maxVolumeM3,
      dgClasses: v.dgClasses,
      bookedWeightKg: onIt?.weightKg ?? decimal(0),
      bookedVolumeM3: onIt?.volumeM3 ?? decimal(0),
    };
  });
}

/**
 * A booking made in this transaction, taken from the capacity as its write will: the load on
 * the vehicle (as stored: kilograms to 3 places, cubic metres to 4), the trip's vehicle when it
 * had none (and that vehicle busy for the day), and the door's slot.
 */
export function takeCapacity(site: SiteCapacity, choice: SlotAssignment, load: Load): void {
  addLoad(site.booked, bookedKey(choice.tripId, choice.vehicleId), {
    weightKg: load.weightKg.toFixed(3),
    volumeM3: load.volumeM3.toFixed(4),
  });
  const trip = site.trips.find((t) => t.id === choice.tripId);
  if (trip && !trip.vehicleId) {
    trip.vehicleId = choice.vehicleId;
    site.busy.push({ id: trip.id, vehicleId: choice.vehicleId, serviceDate: trip.serviceDate });
  }
  const door = site.doors.find((d) => d.dockDoorId === choice.dockDoorId);
  door?.slots.push({ start: choice.slotStart, end: choice.slotEnd });
}
