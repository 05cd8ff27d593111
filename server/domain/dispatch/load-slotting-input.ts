import type { Tx } from '../../db/client';
import type { Readiness, TripStatus } from '../../db/generated/enums';
import { sql } from '../../db/generated/internal/prismaNamespace';
import { decimal, sum } from '../../lib/money';
import { ACTIVE_STATUSES } from '../exceptions/status-machine';
import type { AuditHead } from '../audit/chained-audit';
import { rawQuery } from '../../db/transaction-sql';
import type { CandidateTripRow, PlannedTrip } from './candidate-trips';
import type { ShipmentLoadRow } from './shipment-load';
import type { CandidateTrip, DockDoorSlots, SlotVehicle } from './slotting-rules';
import type { PlannedDeparture } from './departures';

// What slotting reads, in two round trips: the locks with the shipment and everything about it,
// then the candidate trips (the missing ones created) with the fleet, the weight and volume
// already booked and the dock doors' slots (PL/pgSQL functions in the migration
// 20261205030000_branch_reads, whose plans a connection keeps). Capacity is read only after the
// locks are held: the shipment's row (the gate cancels bookings under it), and the site's active dock doors,
// which every slotting run of the site takes first, in id order, so that runs of one site take
// turns and each reads the bookings of the one before it. A site without a door books nothing.
// Decimals come as text and times as ISO text, so nothing passes through a float.

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
export function slottingSettings(
  stored: unknown,
  overrides: Partial<SlottingSettings> = {},
): SlottingSettings {
  const row = (stored ?? {}) as Partial<Record<keyof SlottingSettings, unknown>>;

  return {
    slotMinutes: positiveInt(
      overrides.slotMinutes ?? row.slotMinutes,
      DEFAULT_SLOTTING.slotMinutes,
    ),
    tripsAhead: positiveInt(overrides.tripsAhead ?? row.tripsAhead, DEFAULT_SLOTTING.tripsAhead),
  };
}

type Milestone =
  | 'pickedAt'
  | 'packedStagedAt'
  | 'slottedAt'
  | 'loadedAt'
  | 'departedAt'
  | 'arrivedAt'
  | 'deliveredAt'
  | 'podReceivedAt'
  | 'invoicedAt'
  | 'cancelledAt';

const MILESTONES: readonly Milestone[] = [
  'pickedAt',
  'packedStagedAt',
  'slottedAt',
  'loadedAt',
  'departedAt',
  'arrivedAt',
  'deliveredAt',
  'podReceivedAt',
  'invoicedAt',
  'cancelledAt',
];

export interface SlottingShipmentRow extends ShipmentLoadRow, Record<Milestone, Date | null> {
  id: string;
  ref: string;
  siteId: string;
  timeZone: string;
  readiness: Readiness;
  booked: boolean;
  settings: unknown;
  plannedTrip: PlannedTrip | null;
  capacityOpen: boolean;
  auditHead: AuditHead | null;
}

type Json<T> = { [K in keyof T]: T[K] extends Date | null ? string | null : T[K] };

interface PlannedTripJson extends Omit<PlannedTrip, 'departsAt' | 'cutoffAt'> {
  departsAt: string;
  cutoffAt: string;
}

const dateOf = (iso: string | null) => (iso === null ? null : new Date(iso));

/**
 * The locks and the shipment, in one round trip (slotting_read, in the migration
 * 20261205030000_branch_reads): the shipment's row (the gate cancels bookings under it), its
 * audit chain's lock (the order the apply takes them in) and the site's dock doors; then the
 * shipment with its lines, standing booking, the slotting settings, its planned trip with the
 * departure's rule, whether its CAPACITY exception is open and its audit chain's head.
 * Asynchronous commit for the rest of the transaction. Null: no such shipment.
 */
export async function lockAndReadShipment(
  tx: Tx,
  shipmentId: string,
  capacityKey: string,
): Promise<SlottingShipmentRow | null> {
  const [row] = await rawQuery<{
    shipment: (Json<SlottingShipmentRow> & { plannedTrip: PlannedTripJson | null }) | null;
  }>(
    tx,
    sql`SELECT set_config('synchronous_commit', 'off', true) AS commit_mode,
      slotting_read(${shipmentId}, ${capacityKey}, ${[...ACTIVE_STATUSES]}::text[]) AS shipment`,
  );
  const shipment = row?.shipment;
  if (!shipment) return null;
  const trip = shipment.plannedTrip;
  const milestones = Object.fromEntries(MILESTONES.map((m) => [m, dateOf(shipment[m])]));

  return {
    ...shipment,
    ...(milestones as Record<Milestone, Date | null>),
    plannedTrip: trip
      ? { ...trip, departsAt: new Date(trip.departsAt), cutoffAt: new Date(trip.cutoffAt) }
      : null,
  };
}

interface TripJson extends Omit<CandidateTripRow, 'departsAt' | 'cutoffAt'> {
  departsAt: string;
  cutoffAt: string;
}

interface CapacityRow {
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

/**
 * The runs' capacity, in one round trip (slotting_capacity): the missing runs created, then all
 * of them locked (NO KEY UPDATE: it excludes other writers of the trip, not a shipment being
 * pointed at it), then the fleet, what is booked on them and the site's doors' slots from
 * `from` on, each read with a fresh snapshot, so that a run another transaction created while
 * this one waited on its key is found, and every booking made before the locks is counted.
 */
export async function loadCapacity(
  tx: Tx,
  siteId: string,
  runs: readonly PlannedDeparture[],
  from: Date,
): Promise<SlottingCapacity> {
  const wanted = JSON.stringify(
    runs.map((r) => ({
      departure_id: r.departureId,
      service_date: r.serviceDate,
      departs_at: r.departsAt.toISOString(),
      cutoff_at: r.cutoffAt.toISOString(),
    })),
  );
  const [row] = await rawQuery<{ capacity: CapacityRow }>(
    tx,
    sql`SELECT slotting_capacity(${siteId}::uuid, ${wanted}::json, ${from}::timestamptz) AS capacity`,
  );

  return shape(row!.capacity);
}

function shape(row: CapacityRow): SlottingCapacity {
  const trips = row.trips
    .map((t) => ({ ...t, departsAt: new Date(t.departsAt), cutoffAt: new Date(t.cutoffAt) }))
    .filter((t) => t.status === 'PLANNED' || t.status === 'LOADING')
    .sort((a, b) => a.departsAt.getTime() - b.departsAt.getTime());

  return {
    trips,
    candidates: trips.map((trip) => ({
      tripId: trip.id,
      departsAt: trip.departsAt,
      cutoffAt: trip.cutoffAt,
      vehicles: fleetOf(row, trip),
    })),
    doors: row.doors.map((d) => ({
      dockDoorId: d.id,
      code: d.code,
      slots: d.slots.map((s) => ({ start: new Date(s.start), end: new Date(s.end) })),
    })),
  };
}

/**
 * Vehicles the trip may run with: its assigned vehicle, or else any active vehicle of the site
 * not already assigned to another run that day, each with what is booked on it on this trip.
 */
function fleetOf(row: CapacityRow, trip: CandidateTripRow & { status: TripStatus }): SlotVehicle[] {
  // KNOWN LIMIT: one run per vehicle per day, because trips carry no return time to tell
  // whether a vehicle is back in time for a second run. Goes when trips get an arrival time.
  const taken = new Set(
    row.busy
      .filter((b) => b.id !== trip.id && b.serviceDate === trip.serviceDate)
      .map((b) => b.vehicleId),
  );
  const fleet = trip.vehicleId
    ? row.vehicles.filter((v) => v.id === trip.vehicleId)
    : row.vehicles.filter((v) => !taken.has(v.id));

  return fleet.map((v) => {
    const onIt = row.bookings.filter((b) => b.tripId === trip.id && b.vehicleId === v.id);

    return {
      vehicleId: v.id,
      maxWeightKg: decimal(v.maxWeightKg),
      maxVolumeM3: decimal(v.maxVolumeM3),
      dgClasses: v.dgClasses,
      bookedWeightKg: sum(onIt.map((b) => b.weightKg)),
      bookedVolumeM3: sum(onIt.map((b) => b.volumeM3)),
    };
  });
}
