import { randomUUID } from 'node:crypto';
import type { Db, Tx } from '../../db/client';
import type { Prisma } from '../../db/generated/client';
import { branchJobRecord, type BranchTask } from '../readiness/branch-jobs';
import { logger } from '../../lib/logger';
import { openException, resolveByFacts } from '../exceptions/open-exception';
import { sql } from '../../db/generated/internal/prismaNamespace';
import { deriveStatus } from '../shipments/shipment-status';
import { inTransaction, rawExecute } from '../../db/transaction-sql';
import { candidateRuns, type CandidateTripRow } from './candidate-trips';
import { chainedAuditRow, insertAuditSql } from '../audit/chained-audit';
import {
  loadCapacity,
  lockAndReadShipment,
  slottingSettings,
  type SlottingSettings,
  type SlottingShipmentRow,
} from './load-slotting-input';
import { measureShipment, type ShipmentMeasures } from './shipment-load';
import { chooseSlotting, type NoCapacity, type SlotAssignment } from './slotting-rules';

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
// and COMMIT (load-slotting-input.ts).
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

function skipReason(s: LockedShipment): 'NOT_READY' | 'ALREADY_BOOKED' | null {
  if (s.booked) return 'ALREADY_BOOKED';
  // Loaded or departed before the gate passed (the gate ran on a late fact) still books: the
  // booking is a function of readiness, not of the order in which the facts arrived.
  if (s.readiness !== 'READY' || !s.packedStagedAt || s.cancelledAt) return 'NOT_READY';

  return null;
}

async function slotInTransaction(tx: Tx, shipmentId: string, options: SlotOptions) {
  // Serialises with the gate: a late fact that takes readiness away cancels bookings under the
  // same row lock, so it cannot slip between the readiness check below and the booking.
  const shipment = await lockAndReadShipment(tx, shipmentId, capacityKey(shipmentId));
  if (!shipment) return { status: 'skipped', reason: 'NOT_FOUND' } as const;
  const skip = skipReason(shipment);
  if (skip) return { status: 'skipped', reason: skip } as const;

  const settings = slottingSettings(shipment.settings, options);
  const now = options.now ?? new Date();
  // Event time, as the gate used it: the stage that made the planned departure's cut-off.
  // The clock only bounds when loading can physically start.
  const readyAt = shipment.packedStagedAt!;
  const notBefore = new Date(Math.max(readyAt.getTime(), now.getTime()));
  const planned = shipment.plannedTrip;
  const runs = planned ? candidateRuns(planned, shipment.timeZone, settings.tripsAhead) : [];
  const capacity = runs.length
    ? await loadCapacity(tx, shipment.siteId, runs, notBefore)
    : { trips: [], candidates: [], doors: [] };
  const measures = measureShipment(shipment);
  const choice = chooseSlotting({
    shipment: { id: shipment.id, readyAt, ...measures },
    trips: capacity.candidates,
    doors: capacity.doors,
    slotMinutes: settings.slotMinutes,
    notBefore,
  });

  return choice.ok
    ? book(tx, shipment, measures, choice, now)
    : reportNoCapacity(tx, shipment, capacity.trips, measures, choice);
}

function placement(c: SlotAssignment) {
  const { tripId, vehicleId, dockDoorId, slotStart, slotEnd } = c;

  return { tripId, vehicleId, dockDoorId, slotStart, slotEnd };
}

/**
 * One statement: the booking, the trip's vehicle (the first booking on a trip picks it; later
 * ones can only join it), the shipment's milestone and status, the audit row, and the ERP
 * record's publication (a record published before the booking is published again with it).
 */
async function book(
  tx: Tx,
  shipment: LockedShipment,
  measures: ShipmentMeasures,
  choice: SlotAssignment,
  now: Date,
): Promise<SlotOutcome> {
  const bookingId = randomUUID();
  if (shipment.capacityOpen) {
    await resolveByFacts(tx, [capacityKey(shipment.id)], 'slotting booked a trip and a dock slot');
  }
  const audit = chainedAuditRow(shipment.auditHead, {
    entityType: 'Shipment',
    entityId: shipment.id,
    action: 'dispatch.slotted',
    actor: { type: 'SYSTEM', id: null },
    data: {
      bookingId,
      ...placement(choice),
      remainingWeightKg: choice.remainingWeightKg.toString(),
      remainingVolumeM3: choice.remainingVolumeM3.toString(),
    },
  });
  const job = branchJobRecord(PUBLISH_TASK, shipment.id);
  const status = deriveStatus({ ...shipment, slottedAt: now });
  await rawExecute(
    tx,
    sql`
    WITH booking AS (
      INSERT INTO dispatch_bookings (id, shipment_id, trip_id, vehicle_id, dock_door_id,
        slot_start, slot_end, weight_kg, volume_m3, status, booked_at)
      VALUES (${bookingId}::uuid, ${shipment.id}::uuid, ${choice.tripId}::uuid,
        ${choice.vehicleId}::uuid, ${choice.dockDoorId}::uuid, ${choice.slotStart},
        ${choice.slotEnd}, ${measures.weightKg.toFixed(3)}::numeric,
        ${measures.volumeM3.toFixed(4)}::numeric, 'BOOKED', ${now})
      RETURNING id
    ), trip AS (
      UPDATE trips SET vehicle_id = ${choice.vehicleId}::uuid
      WHERE id = ${choice.tripId}::uuid AND vehicle_id IS NULL RETURNING id
    ), shipment AS (
      UPDATE shipments SET slotted_at = ${now}, status = ${status}::"ShipmentStatus",
        updated_at = ${now}
      WHERE id = ${shipment.id}::uuid RETURNING id
    ), audited AS (${insertAuditSql(audit)} RETURNING id)
    SELECT (SELECT count(*) FROM booking), (SELECT count(*) FROM trip),
      (SELECT count(*) FROM shipment), (SELECT count(*) FROM audited),
      enqueue_jobs(${JSON.stringify([job])}::json)`,
  );

  return { status: 'booked', bookingId, ...placement(choice) };
}

async function reportNoCapacity(
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
