// Slotting: put a ready shipment on a trip, a vehicle of that trip and a dock-door slot to load
// it in. The earliest trip that works wins, because a ready shipment waiting for a later truck
// is the delay the control tower exists to prevent. Running out of room is a dispatch exception
// (NO_CAPACITY), not a readiness failure: the shipment itself is fine.
import { Decimal, decimal, type DecimalLike } from '../../lib/money';

export interface SlotVehicle {
  vehicleId: string;
  maxWeightKg: DecimalLike;
  maxVolumeM3: DecimalLike;
  dgClasses: readonly string[];
  /** Already booked on this trip (bookings not cancelled). */
  bookedWeightKg: DecimalLike;
  bookedVolumeM3: DecimalLike;
}

/** A dated run of the planned departure (or a later one), with the vehicles that may run it. */
export interface CandidateTrip {
  tripId: string;
  departsAt: Date;
  cutoffAt: Date;
  vehicles: readonly SlotVehicle[];
}

export interface Slot {
  start: Date;
  end: Date;
}

export interface DockDoorSlots {
  dockDoorId: string;
  code: string;
  /** Existing bookings on the door, as half-open intervals [start, end). */
  slots: readonly Slot[];
}

export interface SlottingShipment {
  id: string;
  /** When it became ready: its stage time, or the release of its last hold if that was later. */
  readyAt: Date;
  weightKg: DecimalLike;
  volumeM3: DecimalLike;
  dangerousGoods: boolean;
  dgClasses: readonly string[];
}

export interface SlottingInput {
  shipment: SlottingShipment;
  trips: readonly CandidateTrip[];
  doors: readonly DockDoorSlots[];
  slotMinutes: number;
  /** Loading cannot start before this (the slotting run's clock); defaults to readyAt. */
  notBefore?: Date;
}

export interface SlotAssignment {
  ok: true;
  tripId: string;
  vehicleId: string;
  dockDoorId: string;
  slotStart: Date;
  slotEnd: Date;
  /** What the vehicle has left on this trip once the shipment is on it. */
  remainingWeightKg: Decimal;
  remainingVolumeM3: Decimal;
}

export type TripRejection = 'CUTOFF_MISSED' | 'NO_VEHICLE_CAPACITY' | 'NO_DOCK_SLOT';

export interface NoCapacity {
  ok: false;
  code: 'NO_CAPACITY';
  reason: string;
  trips: { tripId: string; rejection: TripRejection }[];
}

const MINUTE_MS = 60_000;

function remaining(v: SlotVehicle) {
  return {
    weight: decimal(v.maxWeightKg).minus(decimal(v.bookedWeightKg)),
    volume: decimal(v.maxVolumeM3).minus(decimal(v.bookedVolumeM3)),
  };
}

function isCertified(v: SlotVehicle, s: SlottingShipment): boolean {
  if (!s.dangerousGoods) return true;
  const held = new Set(v.dgClasses);

  return held.size > 0 && s.dgClasses.every((c) => held.has(c));
}

/**
 * The vehicle the shipment fits in with the least weight to spare (best fit), so the roomiest
 * vehicles stay free for the shipments that need them.
 */
export function chooseVehicle(trip: CandidateTrip, s: SlottingShipment) {
  const weight = decimal(s.weightKg);
  const volume = decimal(s.volumeM3);
  const fits = trip.vehicles
    .filter((v) => isCertified(v, s))
    .map((v) => ({ v, left: remaining(v) }))
    .filter(({ left }) => weight.lte(left.weight) && volume.lte(left.volume))
    .map(({ v, left }) => ({
      v,
      weight: left.weight.minus(weight),
      volume: left.volume.minus(volume),
    }));
  fits.sort(
    (a, b) =>
      a.weight.comparedTo(b.weight) ||
      a.volume.comparedTo(b.volume) ||
      a.v.vehicleId.localeCompare(b.v.vehicleId),
  );

  return fits[0] ?? null;
}

function overlaps(a: Slot, b: Slot): boolean {
  return a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();
}

/**
 * The latest free slot of `minutes` on the door ending by `departsAt` and starting no earlier
 * than `notBefore`. Loading close to departure keeps the door's earlier time for earlier trips.
 * The latest free slot ends either at the departure or where an existing slot begins, so those
 * are the only ends worth trying.
 */
export function latestFreeSlot(
  door: DockDoorSlots,
  departsAt: Date,
  notBefore: Date,
  minutes: number,
) {
  const length = minutes * MINUTE_MS;
  const ends = [departsAt.getTime(), ...door.slots.map((s) => s.start.getTime())]
    .filter((t) => t <= departsAt.getTime())
    .sort((a, b) => b - a);
  for (const end of ends) {
    const slot = { start: new Date(end - length), end: new Date(end) };
    if (slot.start.getTime() < notBefore.getTime()) return null;
    if (!door.slots.some((s) => overlaps(s, slot))) return slot;
  }

  return null;
}

function chooseSlot(
  doors: readonly DockDoorSlots[],
  trip: CandidateTrip,
  notBefore: Date,
  minutes: number,
) {
  const found = doors
    .map((door) => ({ door, slot: latestFreeSlot(door, trip.departsAt, notBefore, minutes) }))
    .filter((f): f is { door: DockDoorSlots; slot: Slot } => f.slot !== null);
  found.sort(
    (a, b) =>
      b.slot.start.getTime() - a.slot.start.getTime() || a.door.code.localeCompare(b.door.code),
  );

  return found[0] ?? null;
}

function tryTrip(
  input: SlottingInput,
  trip: CandidateTrip,
  notBefore: Date,
): SlotAssignment | TripRejection {
  if (input.shipment.readyAt.getTime() > trip.cutoffAt.getTime()) return 'CUTOFF_MISSED';
  const vehicle = chooseVehicle(trip, input.shipment);
  if (!vehicle) return 'NO_VEHICLE_CAPACITY';
  const dock = chooseSlot(input.doors, trip, notBefore, input.slotMinutes);
  if (!dock) return 'NO_DOCK_SLOT';

  return {
    ok: true,
    tripId: trip.tripId,
    vehicleId: vehicle.v.vehicleId,
    dockDoorId: dock.door.dockDoorId,
    slotStart: dock.slot.start,
    slotEnd: dock.slot.end,
    remainingWeightKg: vehicle.weight,
    remainingVolumeM3: vehicle.volume,
  };
}

/** Books nothing: chooses the trip, vehicle and dock slot the dispatch service then books. */
export function chooseSlotting(input: SlottingInput): SlotAssignment | NoCapacity {
  if (!Number.isInteger(input.slotMinutes) || input.slotMinutes <= 0) {
    throw new RangeError(
      `Slot length must be a positive number of minutes, got ${input.slotMinutes}`,
    );
  }

  const notBefore = input.notBefore ?? input.shipment.readyAt;
  const trips = [...input.trips].sort(
    (a, b) => a.departsAt.getTime() - b.departsAt.getTime() || a.tripId.localeCompare(b.tripId),
  );
  const rejected: NoCapacity['trips'] = [];
  for (const trip of trips) {
    const outcome = tryTrip(input, trip, notBefore);
    if (typeof outcome !== 'string') return outcome;
    rejected.push({ tripId: trip.tripId, rejection: outcome });
  }

  const reason =
    rejected.length === 0
      ? 'No trip is planned for the departure'
      : rejected.map((r) => `${r.tripId}: ${r.rejection}`).join('; ');

  return { ok: false, code: 'NO_CAPACITY', reason, trips: rejected };
}
