import type { Tx } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import type { Readiness, TripStatus } from '../../db/generated/enums';
import { decimal, sum } from '../../lib/money';
import { ACTIVE_STATUSES } from '../exceptions/status-machine';
import { auditHeadSql, auditLockSql, type AuditHead } from './chained-audit';
import type { CandidateTripRow, PlannedTrip } from './candidate-trips';
import type { ShipmentLoadRow } from './shipment-load';
import type { CandidateTrip, DockDoorSlots, SlotVehicle } from './slotting-rules';
import type { PlannedDeparture } from './departures';

// What slotting reads, in three statements: the locks, the shipment with everything about it,
// then the candidate trips (the missing ones created) with the fleet, the weight and volume
// already booked and the dock doors' slots. Capacity is read only after the locks are held:
// the shipment's row (the gate cancels bookings under it), and the site's active dock doors,
// which every slotting run of the site takes first, in id order, so that runs of one site take
// turns and each reads the bookings of the one before it. A site without a door books nothing.
// Decimals come as text and nested timestamps as ISO text, so nothing passes through a float.

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

/**
 * The shipment's row lock, then its audit lock (the order the apply takes them in) and the
 * site's dock doors; asynchronous commit for the rest of the transaction. False: no shipment.
 */
export async function lockForSlotting(tx: Tx, shipmentId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ doors: number }[]>`
    SELECT ${auditLockSql('Shipment', shipmentId)},
      (SELECT count(*) FROM (SELECT d.id FROM dock_doors d
         WHERE d.site_id = s.site_id AND d.active ORDER BY d.id FOR NO KEY UPDATE) AS d)::int
        AS doors,
      set_config('synchronous_commit', 'off', true)
    FROM (SELECT id, site_id FROM shipments WHERE id = ${shipmentId}::uuid FOR UPDATE) AS s`;

  return rows.length > 0;
}

export interface SlottingShipmentRow extends ShipmentLoadRow {
  id: string;
  ref: string;
  siteId: string;
  timeZone: string;
  readiness: Readiness;
  pickedAt: Date | null;
  packedStagedAt: Date | null;
  slottedAt: Date | null;
  loadedAt: Date | null;
  departedAt: Date | null;
  arrivedAt: Date | null;
  deliveredAt: Date | null;
  podReceivedAt: Date | null;
  invoicedAt: Date | null;
  cancelledAt: Date | null;
  booked: boolean;
  settings: unknown;
  plannedTrip:
    (Omit<PlannedTrip, 'departsAt' | 'cutoffAt'> & Record<'departsAt' | 'cutoffAt', string>) | null;
  capacityOpen: boolean;
  auditHead: AuditHead | null;
}

const iso = (column: string) =>
  Prisma.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/** The locked shipment with its lines, booking, settings, planned trip and its departure rule. */
export async function readSlottingShipment(tx: Tx, shipmentId: string, capacityKey: string) {
  const rows = await tx.$queryRaw<SlottingShipmentRow[]>`
    SELECT s.id, s.ref, s.site_id AS "siteId", st.time_zone AS "timeZone",
      s.readiness::text AS readiness, s.dangerous_goods AS "dangerousGoods",
      s.weight_kg::text AS "weightKg", s.volume_m3::text AS "volumeM3",
      s.picked_at AS "pickedAt", s.packed_staged_at AS "packedStagedAt",
      s.slotted_at AS "slottedAt", s.loaded_at AS "loadedAt", s.departed_at AS "departedAt",
      s.arrived_at AS "arrivedAt", s.delivered_at AS "deliveredAt",
      s.pod_received_at AS "podReceivedAt", s.invoiced_at AS "invoicedAt",
      s.cancelled_at AS "cancelledAt",
      EXISTS (SELECT 1 FROM dispatch_bookings b WHERE b.shipment_id = s.id AND b.status = 'BOOKED')
        AS booked,
      coalesce((SELECT json_agg(json_build_object('pickedQty', sl.picked_qty::text,
          'orderLine', json_build_object('sku', json_build_object('code', k.code,
            'unNumber', k.un_number, 'hazardClass', k.hazard_class,
            'weightKg', k.weight_kg::text, 'volumeM3', k.volume_m3::text))) ORDER BY sl.id)
        FROM shipment_lines sl JOIN order_lines ol ON ol.id = sl.order_line_id
        JOIN skus k ON k.id = ol.sku_id WHERE sl.shipment_id = s.id), '[]') AS lines,
      (SELECT value FROM settings WHERE key = 'dispatch.slotting') AS settings,
      (SELECT json_build_object('id', t.id, 'serviceDate', to_char(t.service_date, 'YYYY-MM-DD'),
          'departsAt', ${iso('t.departs_at')}, 'cutoffAt', ${iso('t.cutoff_at')},
          'routeId', r.id, 'routeCode', r.code,
          'rule', json_build_object('id', d.id, 'routeId', d.route_id, 'weekdays', d.weekdays,
            'departMinute', d.depart_minute, 'cutoffMinute', d.cutoff_minute))
        FROM trips t JOIN route_departures d ON d.id = t.departure_id
        JOIN routes r ON r.id = d.route_id WHERE t.id = s.planned_trip_id) AS "plannedTrip",
      EXISTS (SELECT 1 FROM exceptions e WHERE e.dedupe_key = ${capacityKey}
        AND e.status::text = ANY (${[...ACTIVE_STATUSES]}::text[])) AS "capacityOpen",
      ${auditHeadSql('Shipment', shipmentId)} AS "auditHead"
    FROM shipments s JOIN sites st ON st.id = s.site_id
    WHERE s.id = ${shipmentId}::uuid`;
  const row = rows[0];
  if (!row) return null;
  const trip = row.plannedTrip;

  return {
    ...row,
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

const tripJson = (alias: string) =>
  Prisma.raw(`json_build_object('id', ${alias}.id, 'departureId', ${alias}.departure_id,
    'serviceDate', to_char(${alias}.service_date, 'YYYY-MM-DD'),
    'departsAt', to_char(${alias}.departs_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'cutoffAt', to_char(${alias}.cutoff_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'vehicleId', ${alias}.vehicle_id, 'status', ${alias}.status)`);

/**
 * One statement: the runs created where missing, the existing ones locked (NO KEY UPDATE: it
 * excludes other writers of the trip, not a shipment being pointed at it, whose foreign-key
 * check takes KEY SHARE), and what is booked on them and on the site's doors from `from` on.
 * A run another transaction created while this one waited on its key is in neither set: the
 * caller finds it missing and reads again.
 */
async function readCapacity(
  tx: Tx,
  siteId: string,
  runs: readonly PlannedDeparture[],
  from: Date,
): Promise<CapacityRow> {
  const wanted = JSON.stringify(
    runs.map((r) => ({
      departure_id: r.departureId,
      service_date: r.serviceDate,
      departs_at: r.departsAt.toISOString(),
      cutoff_at: r.cutoffAt.toISOString(),
    })),
  );
  const site = Prisma.sql`${siteId}::uuid`;
  const [row] = await tx.$queryRaw<CapacityRow[]>`
    WITH runs AS (
      SELECT * FROM json_to_recordset(${wanted}::json)
        AS r(departure_id uuid, service_date date, departs_at timestamptz, cutoff_at timestamptz)
    ), created AS (
      INSERT INTO trips (id, departure_id, service_date, departs_at, cutoff_at)
      SELECT gen_random_uuid(), r.departure_id, r.service_date, r.departs_at, r.cutoff_at
      FROM runs r
      ON CONFLICT (departure_id, service_date) DO NOTHING
      RETURNING *
    ), existing AS (
      SELECT t.* FROM trips t
      JOIN runs r ON r.departure_id = t.departure_id AND r.service_date = t.service_date
      ORDER BY t.id FOR NO KEY UPDATE OF t
    ), cand AS (
      SELECT * FROM created UNION ALL SELECT * FROM existing
    ), fleet AS (
      SELECT v.id, v.max_weight_kg, v.max_volume_m3, v.dg_classes FROM vehicles v
      WHERE v.site_id = ${site} AND v.active
    )
    SELECT
      coalesce((SELECT json_agg(${tripJson('c')}) FROM cand c), '[]') AS trips,
      coalesce((SELECT json_agg(json_build_object('id', f.id,
          'maxWeightKg', f.max_weight_kg::text, 'maxVolumeM3', f.max_volume_m3::text,
          'dgClasses', f.dg_classes)) FROM fleet f), '[]') AS vehicles,
      coalesce((SELECT json_agg(json_build_object('id', t.id, 'vehicleId', t.vehicle_id,
          'serviceDate', to_char(t.service_date, 'YYYY-MM-DD')))
        FROM trips t WHERE t.vehicle_id IN (SELECT id FROM fleet)
          AND t.service_date IN (SELECT service_date FROM runs)
          AND t.status IN ('PLANNED', 'LOADING')), '[]') AS busy,
      coalesce((SELECT json_agg(json_build_object('tripId', b.trip_id, 'vehicleId', b.vehicle_id,
          'weightKg', b.weight_kg::text, 'volumeM3', b.volume_m3::text))
        FROM dispatch_bookings b WHERE b.trip_id IN (SELECT id FROM cand)
          AND b.status <> 'CANCELLED'), '[]') AS bookings,
      coalesce((SELECT json_agg(json_build_object('id', d.id, 'code', d.code,
          'slots', coalesce((SELECT json_agg(json_build_object(
              'start', ${iso('b.slot_start')}, 'end', ${iso('b.slot_end')}))
            FROM dispatch_bookings b WHERE b.dock_door_id = d.id AND b.status <> 'CANCELLED'
              AND b.slot_end > ${from}
              AND b.slot_start < (SELECT max(departs_at) FROM runs)), '[]')) ORDER BY d.code)
        FROM dock_doors d WHERE d.site_id = ${site} AND d.active), '[]') AS doors`;

  return row!;
}

export interface SlottingCapacity {
  /** The runs found, locked or created here, in departure order; not bookable ones left out. */
  trips: CandidateTripRow[];
  candidates: CandidateTrip[];
  doors: DockDoorSlots[];
}

const runKey = (departureId: string, serviceDate: string) => `${departureId}:${serviceDate}`;

/** The runs' capacity; a run created meanwhile by another transaction is read on a second try. */
export async function loadCapacity(
  tx: Tx,
  siteId: string,
  runs: readonly PlannedDeparture[],
  from: Date,
): Promise<SlottingCapacity> {
  let row = await readCapacity(tx, siteId, runs, from);
  const found = new Set(row.trips.map((t) => runKey(t.departureId, t.serviceDate)));
  if (runs.some((r) => !found.has(runKey(r.departureId, r.serviceDate)))) {
    // Committed after this statement's snapshot was taken: visible to the next one.
    row = await readCapacity(tx, siteId, runs, from);
  }

  return shape(row);
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
