import type { Tx } from '../../db/client';
import type { Readiness } from '../../db/generated/enums';
import { sql } from '../../db/generated/internal/prismaNamespace';
import { ACTIVE_STATUSES } from '../exceptions/status-machine';
import type { AuditHead } from '../audit/chained-audit';
import { rawQuery } from '../../db/transaction-sql';
import type { PlannedTrip } from './candidate-trips';
import type { ShipmentLoadRow } from './shipment-load';
import type { PlannedDeparture } from './departures';
import {
  capacityFor,
  siteCapacity,
  type CapacityRow,
  type SiteCapacity,
  type SlottingCapacity,
} from './site-capacity';

// What slotting reads, in two round trips: the locks with the shipment and everything about it,
// then the candidate trips (the missing ones created) with the fleet, the weight and volume
// already booked and the dock doors' slots (PL/pgSQL functions in the migration
// 20261205030000_branch_reads, whose plans a connection keeps). Capacity is read only after the
// locks are held: the shipment's row (the gate cancels bookings under it), and the site's
// active dock doors, which every slotting run of the site takes first, in id order, so that
// runs of one site take turns and each reads the bookings of the one before it. A site without
// a door books nothing. Shipments slotted together are read the same way, in the same two round
// trips for all of them (20261208020000_branches_together). Decimals come as text and times as
// ISO text, so nothing passes through a float.

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

type ShipmentJson = Json<SlottingShipmentRow> & { plannedTrip: PlannedTripJson | null };

function shipmentOf(shipment: ShipmentJson): SlottingShipmentRow {
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
  const [row] = await rawQuery<{ shipment: ShipmentJson | null }>(
    tx,
    sql`SELECT set_config('synchronous_commit', 'off', true) AS commit_mode,
      slotting_read(${shipmentId}, ${capacityKey}, ${[...ACTIVE_STATUSES]}::text[]) AS shipment`,
  );

  return row?.shipment ? shipmentOf(row.shipment) : null;
}

/**
 * lockAndReadShipment for several shipments, in one round trip (slotting_read_together, in the
 * migration 20261208020000_branches_together): every shipment's row in id order, then their
 * audit chains in id order, then the active doors of every site among them (by site, then
 * door), each class of lock in one order, as the single form takes them for one shipment and
 * the apply takes rows and chains; then each shipment as slotting_read answers it. The answer
 * is in the order of `shipmentIds`, null where there is no such shipment.
 */
export async function lockAndReadShipments(
  tx: Tx,
  shipmentIds: readonly string[],
  capacityKey: (shipmentId: string) => string,
): Promise<(SlottingShipmentRow | null)[]> {
  const [row] = await rawQuery<{ shipments: (ShipmentJson | null)[] }>(
    tx,
    sql`SELECT set_config('synchronous_commit', 'off', true) AS commit_mode,
      slotting_read_together(${[...shipmentIds]}::text[], ${shipmentIds.map(capacityKey)}::text[],
        ${[...ACTIVE_STATUSES]}::text[]) AS shipments`,
  );

  return (row?.shipments ?? []).map((s) => (s ? shipmentOf(s) : null));
}

const runsJson = (runs: readonly PlannedDeparture[]) =>
  runs.map((r) => ({
    departure_id: r.departureId,
    service_date: r.serviceDate,
    departs_at: r.departsAt.toISOString(),
    cutoff_at: r.cutoffAt.toISOString(),
  }));

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
  const [row] = await rawQuery<{ capacity: CapacityRow }>(
    tx,
    sql`SELECT slotting_capacity(${siteId}::uuid, ${JSON.stringify(runsJson(runs))}::json,
      ${from}::timestamptz) AS capacity`,
  );

  return capacityFor(siteCapacity(row!.capacity));
}

export interface SiteRuns {
  siteId: string;
  /** Every run any of the site's shipments may book, each once. */
  runs: PlannedDeparture[];
  /** The earliest clock among the site's shipments: door slots are read from then on. */
  from: Date;
}

/**
 * loadCapacity for several sites, in one round trip (slotting_capacity_together): the missing
 * runs of every site created in one statement, in (departure, date) order as the apply's
 * planTrips makes them (two transactions making the same new runs wait for each other in that
 * order, never in a cycle), then each site's capacity, sites in id order.
 */
export async function loadSitesCapacity(
  tx: Tx,
  sites: readonly SiteRuns[],
): Promise<Map<string, SiteCapacity>> {
  const wanted = sites.map((s) => ({
    site: s.siteId,
    from: s.from.toISOString(),
    runs: runsJson(s.runs),
  }));
  const [row] = await rawQuery<{ sites: { siteId: string; capacity: CapacityRow }[] }>(
    tx,
    sql`SELECT slotting_capacity_together(${JSON.stringify(wanted)}::json) AS sites`,
  );

  return new Map((row?.sites ?? []).map((s) => [s.siteId, siteCapacity(s.capacity)]));
}
