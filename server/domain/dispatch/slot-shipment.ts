import { randomUUID } from 'node:crypto';
import type { Db, Tx } from '../../db/client';
import type { Prisma } from '../../db/generated/client';
import { branchJob, type BranchTask } from '../readiness/branch-jobs';
import { jobSpecsJson } from '../../jobs/enqueue';
import { logger } from '../../lib/logger';
import { openException, resolveByFacts } from '../exceptions/open-exception';
import { sql } from '../../db/generated/internal/prismaNamespace';
import { deriveStatus } from '../shipments/shipment-status';
import { inTransaction, rawExecute } from '../../db/transaction-sql';
import { candidateRuns, type CandidateTripRow } from './candidate-trips';
import { chainedAuditRow } from '../audit/chained-audit';
import { insertAuditRowsSql } from '../audit/write-audit';
import {
  loadCapacity,
  lockAndReadShipment,
  slottingSettings,
  type SlottingSettings,
  type SlottingShipmentRow,
} from './load-slotting-input';
import { measureShipment, type ShipmentMeasures } from './shipment-load';
import { chooseSlotting, type NoCapacity, type SlotAssignment } from './slotting-rules';
import type { SlottingCapacity } from './site-capacity';

// Dispatch slotting, the first branch after the readiness gate passes: books a READY shipment
// on the earliest run of its planned departure (or a later one) with room on a vehicle and a
// free dock-door slot before departure. No room anywhere is a CAPACITY exception for dispatch;
// the shipment stays READY, because nothing is wrong with the shipment itself.
//
// Safe to run twice: a shipment with a standing booking is skipped. Capacity is never oversold:
// the shipment and the site's dock doors are locked before anything is read (and the candidate
// trips before their bookings are), so a concurrent job for the same site waits and then reads
// this one's booking. A booking is five statements: BEGIN, the locks with the read of the
// shipment, the read of the trips' and doors' capacity, one write of everything it changes,
// and COMMIT (load-slotting-input.ts). The shipments of a batch job are slotted together, in
// one transaction, by slot-together.ts, with the plan, choice and write of this file.
// Asynchronous commit, as in the apply (apply-events.ts): the job is done only once
// graphile-worker commits its completion after this commit, so a lost commit is a rerun.

const log = logger('slot-shipment');

const TX_OPTIONS = { timeout: 30_000, maxWait: 15_000 };

export const PUBLISH_TASK = 'publish_shipment_record' satisfies BranchTask;

export interface SlotOptions extends Partial<SlottingSettings> {
  /** The slotting run's clock: no loading slot starts before it. */
  now?: Date;
}

export type SlotOutcome =
  | {
      status: 'booked';
      bookingId: string;
      tripId: string;
      vehicleId: string;
      dockDoorId: string;
      slotStart: Date;
      slotEnd: Date;
    }
  | { status: 'no_capacity'; exceptionId: string; reason: string }
  | { status: 'skipped'; reason: 'NOT_FOUND' | 'NOT_READY' | 'ALREADY_BOOKED' };

export const capacityKey = (shipmentId: string) => `shipment:${shipmentId}:CAPACITY`;

export async function slotShipment(
  db: Db,
  shipmentId: string,
  options: SlotOptions = {},
): Promise<SlotOutcome> {
  const outcome = await inTransaction(
    db,
    (tx) => slotInTransaction(tx, shipmentId, options),
    TX_OPTIONS,
  );
  log.info({ shipmentId, outcome: outcome.status }, 'slotting ran');

  return outcome;
}

type LockedShipment = SlottingShipmentRow;

export function skipReason(s: LockedShipment): 'NOT_READY' | 'ALREADY_BOOKED' | null {
  if (s.booked) return 'ALREADY_BOOKED';
  // Loaded or departed before the gate passed (the gate ran on a late fact) still books: the
  // booking is a function of readiness, not of the order in which the facts arrived.
  if (s.readiness !== 'READY' || !s.packedStagedAt || s.cancelledAt) return 'NOT_READY';

  return null;
}

/** What a shipment that may book is slotted by: its runs, its clock and its measures. */
export function slottingPlan(shipment: LockedShipment, options: SlotOptions, now: Date) {
  const settings = slottingSettings(shipment.settings, options);
  // Event time, as the gate used it: the stage that made the planned departure's cut-off.
  // The clock only bounds when loading can physically start.
  const readyAt = shipment.packedStagedAt!;
  const notBefore = new Date(Math.max(readyAt.getTime(), now.getTime()));
  const planned = shipment.plannedTrip;
  const runs = planned ? candidateRuns(planned, shipment.timeZone, settings.tripsAhead) : [];

  return { settings, readyAt, notBefore, runs, measures: measureShipment(shipment) };
}

export type SlottingPlan = ReturnType<typeof slottingPlan>;

/** The pure choice (slotting-rules.ts) of one shipment on the capacity it may book. */
export function chooseFor(
  shipment: LockedShipment,
  plan: SlottingPlan,
  capacity: SlottingCapacity,
) {
  return chooseSlotting({
    shipment: { id: shipment.id, readyAt: plan.readyAt, ...plan.measures },
    trips: capacity.candidates,
    doors: capacity.doors,
    slotMinutes: plan.settings.slotMinutes,
    notBefore: plan.notBefore,
  });
}

async function slotInTransaction(tx: Tx, shipmentId: string, options: SlotOptions) {
  // Serialises with the gate: a late fact that takes readiness away cancels bookings under the
  // same row lock, so it cannot slip between the readiness check below and the booking.
  const shipment = await lockAndReadShipment(tx, shipmentId, capacityKey(shipmentId));
  if (!shipment) return { status: 'skipped', reason: 'NOT_FOUND' } as const;
  const skip = skipReason(shipment);
  if (skip) return { status: 'skipped', reason: skip } as const;

  const now = options.now ?? new Date();
  const plan = slottingPlan(shipment, options, now);
  const capacity = plan.runs.length
    ? await loadCapacity(tx, shipment.siteId, plan.runs, plan.notBefore)
    : { trips: [], candidates: [], doors: [] };
  const choice = chooseFor(shipment, plan, capacity);
  if (!choice.ok) return reportNoCapacity(tx, shipment, capacity.trips, plan.measures, choice);
  const booking = { bookingId: randomUUID(), shipment, measures: plan.measures, choice };
  await writeBookings(tx, [booking], now);

  return bookedOutcome(booking);
}

export interface Booking {
  bookingId: string;
  shipment: LockedShipment;
  measures: ShipmentMeasures;
  choice: SlotAssignment;
}

export function bookedOutcome(b: Booking): SlotOutcome {
  const { tripId, vehicleId, dockDoorId, slotStart, slotEnd } = b.choice;

  return {
    status: 'booked',
    bookingId: b.bookingId,
    tripId,
    vehicleId,
    dockDoorId,
    slotStart,
    slotEnd,
  };
}

/** A booking's row in its shipment's audit chain. */
function auditOf({ bookingId, shipment, choice }: Booking): string {
  return chainedAuditRow(shipment.auditHead, {
    entityType: 'Shipment',
    entityId: shipment.id,
    action: 'dispatch.slotted',
    actor: { type: 'SYSTEM', id: null },
    data: {
      bookingId,
      tripId: choice.tripId,
      vehicleId: choice.vehicleId,
      dockDoorId: choice.dockDoorId,
      slotStart: choice.slotStart,
      slotEnd: choice.slotEnd,
      remainingWeightKg: choice.remainingWeightKg.toString(),
      remainingVolumeM3: choice.remainingVolumeM3.toString(),
    },
  });
}

/**
 * One statement for any number of bookings: the bookings, the trips' vehicles (the first
 * booking on a trip picks it; later ones can only join it), the shipments' milestone and
 * status, their audit rows, and the ERP records' publication (a record published before the
 * booking is published again with it), as one batch job. A CAPACITY exception left open by an
 * earlier run is resolved first.
 */
export async function writeBookings(tx: Tx, bookings: readonly Booking[], now: Date) {
  const reopened = bookings.filter((b) => b.shipment.capacityOpen);
  if (reopened.length > 0) {
    const keys = reopened.map((b) => capacityKey(b.shipment.id));
    await resolveByFacts(tx, keys, 'slotting booked a trip and a dock slot');
  }
  const rows = bookings.map(({ bookingId, shipment, measures, choice }) => ({
    id: bookingId,
    shipment_id: shipment.id,
    trip_id: choice.tripId,
    vehicle_id: choice.vehicleId,
    dock_door_id: choice.dockDoorId,
    slot_start: choice.slotStart.toISOString(),
    slot_end: choice.slotEnd.toISOString(),
    weight_kg: measures.weightKg.toFixed(3),
    volume_m3: measures.volumeM3.toFixed(4),
    status: deriveStatus({ ...shipment, slottedAt: now }),
  }));
  const audits = bookings.map(auditOf);
  const jobs = jobSpecsJson(bookings.map((b) => branchJob(PUBLISH_TASK, b.shipment.id)));
  // The rows' keys as arrays beside the JSON rows, as in the apply's writes (apply-writes.ts):
  // the planner takes a JSON row set for a hundred rows and would scan the tables to join them.
  const tripIds = [...new Set(bookings.map((b) => b.choice.tripId))];
  const shipmentIds = bookings.map((b) => b.shipment.id);
  await rawExecute(
    tx,
    sql`
    WITH b AS (
      SELECT * FROM json_to_recordset(${JSON.stringify(rows)}::json) AS b(id uuid,
        shipment_id uuid, trip_id uuid, vehicle_id uuid, dock_door_id uuid,
        slot_start timestamptz, slot_end timestamptz, weight_kg numeric, volume_m3 numeric,
        status text)
    ), booking AS (
      INSERT INTO dispatch_bookings (id, shipment_id, trip_id, vehicle_id, dock_door_id,
        slot_start, slot_end, weight_kg, volume_m3, status, booked_at)
      SELECT id, shipment_id, trip_id, vehicle_id, dock_door_id, slot_start, slot_end,
        weight_kg, volume_m3, 'BOOKED', ${now} FROM b
      RETURNING id
    ), trip AS (
      UPDATE trips t SET vehicle_id = f.vehicle_id
      FROM (SELECT DISTINCT ON (trip_id) trip_id, vehicle_id FROM b) AS f
      WHERE t.id = f.trip_id AND t.id = ANY (${tripIds}::uuid[]) AND t.vehicle_id IS NULL
      RETURNING t.id
    ), shipment AS (
      UPDATE shipments s SET slotted_at = ${now}, status = b.status::"ShipmentStatus",
        updated_at = ${now}
      FROM b WHERE s.id = b.shipment_id AND s.id = ANY (${shipmentIds}::uuid[]) RETURNING s.id
    ), audited AS (${insertAuditRowsSql(`[${audits.join(',')}]`)} RETURNING id)
    SELECT (SELECT count(*) FROM booking), (SELECT count(*) FROM trip),
      (SELECT count(*) FROM shipment), (SELECT count(*) FROM audited),
      enqueue_jobs(${jobs}::json)`,
  );
}

export async function reportNoCapacity(
  tx: Tx,
  shipment: LockedShipment,
  trips: readonly CandidateTripRow[],
  measures: ShipmentMeasures,
  choice: NoCapacity,
): Promise<SlotOutcome> {
  const dates = new Map(trips.map((t) => [t.id, t.serviceDate]));
  const tried = choice.trips.map((t) => ({ ...t, serviceDate: dates.get(t.tripId) ?? null }));
  const title =
    tried.length === 0
      ? `No bookable trip for ${shipment.ref}: no planned departure to book`
      : `No capacity for ${shipment.ref} on the next ${tried.length} trip(s) ` +
        `of route ${shipment.plannedTrip?.routeCode ?? null}`;
  const detail = {
    reason: choice.reason,
    trips: tried,
    weightKg: measures.weightKg.toString(),
    volumeM3: measures.volumeM3.toString(),
    dangerousGoods: measures.dangerousGoods,
    dgClasses: measures.dgClasses,
  };
  const exception = await openException(tx, {
    type: 'CAPACITY',
    severity: 'HIGH',
    ownerTeam: 'DISPATCH',
    siteId: shipment.siteId,
    shipmentId: shipment.id,
    dedupeKey: capacityKey(shipment.id),
    title,
    detail: detail as Prisma.InputJsonValue,
  });

  return { status: 'no_capacity', exceptionId: exception.id, reason: choice.reason };
}
