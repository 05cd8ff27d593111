import type { Db, Tx } from '../../db/client';
import type { Prisma } from '../../db/generated/client';
import { enqueue } from '../../jobs/enqueue';
import { logger } from '../../lib/logger';
import { writeAudit } from '../audit/write-audit';
import { openException, resolveByFacts } from '../exceptions/open-exception';
import { deriveStatus } from '../shipments/shipment-status';
import { lockCandidateTrips, type CandidateTrips } from './candidate-trips';
import {
  loadCandidateTrips,
  loadDockDoors,
  loadSlottingSettings,
  lockDockDoors,
  type SlottingSettings,
} from './load-slotting-input';
import { measureShipment, SHIPMENT_LOAD_SELECT, type ShipmentMeasures } from './shipment-load';
import {
  chooseSlotting,
  type NoCapacity,
  type SlotAssignment,
  type SlottingInput,
} from './slotting-rules';

// Dispatch slotting, the first branch after the readiness gate passes: books a READY shipment
// on the earliest run of its planned departure (or a later one) with room on a vehicle and a
// free dock-door slot before departure. No room anywhere is a CAPACITY exception for dispatch;
// the shipment stays READY, because nothing is wrong with the shipment itself.
//
// Safe to run twice: a shipment with a standing booking is skipped. Capacity is never oversold:
// the shipment, its candidate trips and the site's dock doors are locked before anything is
// read, so a concurrent job for the same trips or doors waits and then reads this one's booking.

const log = logger('slot-shipment');

const TX_OPTIONS = { timeout: 30_000, maxWait: 15_000 };

export const PUBLISH_TASK = 'publish_shipment_record';

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
  const outcome = await db.$transaction(
    (tx) => slotInTransaction(tx, shipmentId, options),
    TX_OPTIONS,
  );
  log.info({ shipmentId, outcome: outcome.status }, 'slotting ran');

  return outcome;
}

async function lockShipment(tx: Tx, shipmentId: string) {
  // Serialises with the gate: a late fact that takes readiness away cancels bookings under the
  // same row lock, so it cannot slip between the readiness check below and the booking.
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM shipments WHERE id = ${shipmentId}::uuid FOR UPDATE`;
  if (locked.length === 0) return null;

  return tx.shipment.findUniqueOrThrow({
    where: { id: shipmentId },
    include: {
      site: { select: { id: true, timeZone: true } },
      bookings: { where: { status: 'BOOKED' }, select: { id: true } },
      lines: SHIPMENT_LOAD_SELECT.lines,
    },
  });
}

type LockedShipment = NonNullable<Awaited<ReturnType<typeof lockShipment>>>;

function skipReason(s: LockedShipment): 'NOT_READY' | 'ALREADY_BOOKED' | null {
  if (s.bookings.length > 0) return 'ALREADY_BOOKED';
  // Loaded or departed before the gate passed (the gate ran on a late fact) still books: the
  // booking is a function of readiness, not of the order in which the facts arrived.
  if (s.readiness !== 'READY' || !s.packedStagedAt || s.cancelledAt) return 'NOT_READY';

  return null;
}

async function slotInTransaction(tx: Tx, shipmentId: string, options: SlotOptions) {
  const shipment = await lockShipment(tx, shipmentId);
  if (!shipment) return { status: 'skipped', reason: 'NOT_FOUND' } as const;
  const skip = skipReason(shipment);
  if (skip) return { status: 'skipped', reason: skip } as const;

  const settings = await loadSlottingSettings(tx, options);
  const now = options.now ?? new Date();
  const candidates = await lockCandidateTrips(
    tx,
    shipment.plannedTripId,
    shipment.site.timeZone,
    settings.tripsAhead,
  );
  await lockDockDoors(tx, shipment.siteId);
  const measures = measureShipment(shipment);
  const input = await slottingInput(tx, shipment, candidates, measures, settings, now);
  const choice = chooseSlotting(input);

  return choice.ok
    ? book(tx, shipment, measures, choice, now)
    : reportNoCapacity(tx, shipment, candidates, measures, choice);
}

async function slottingInput(
  tx: Tx,
  shipment: LockedShipment,
  candidates: CandidateTrips,
  measures: ShipmentMeasures,
  settings: SlottingSettings,
  now: Date,
): Promise<SlottingInput> {
  // Event time, as the gate used it: the stage that made the planned departure's cut-off.
  // The clock only bounds when loading can physically start.
  const readyAt = shipment.packedStagedAt!;
  const notBefore = new Date(Math.max(readyAt.getTime(), now.getTime()));
  const lastDeparture = Math.max(
    notBefore.getTime(),
    ...candidates.trips.map((t) => t.departsAt.getTime()),
  );

  return {
    shipment: { id: shipment.id, readyAt, ...measures },
    trips: await loadCandidateTrips(tx, shipment.siteId, candidates.trips),
    doors: await loadDockDoors(tx, shipment.siteId, notBefore, new Date(lastDeparture)),
    slotMinutes: settings.slotMinutes,
    notBefore,
  };
}

function placement(c: SlotAssignment) {
  const { tripId, vehicleId, dockDoorId, slotStart, slotEnd } = c;

  return { tripId, vehicleId, dockDoorId, slotStart, slotEnd };
}

async function book(
  tx: Tx,
  shipment: LockedShipment,
  measures: ShipmentMeasures,
  choice: SlotAssignment,
  now: Date,
): Promise<SlotOutcome> {
  const booking = await tx.dispatchBooking.create({
    data: {
      shipmentId: shipment.id,
      ...placement(choice),
      weightKg: measures.weightKg.toFixed(3),
      volumeM3: measures.volumeM3.toFixed(4),
      bookedAt: now,
    },
    select: { id: true },
  });
  // The first booking on a trip picks its vehicle; later ones can only join it.
  await tx.trip.updateMany({
    where: { id: choice.tripId, vehicleId: null },
    data: { vehicleId: choice.vehicleId },
  });
  await tx.shipment.update({
    where: { id: shipment.id },
    data: { slottedAt: now, status: deriveStatus({ ...shipment, slottedAt: now }) },
  });
  await resolveByFacts(tx, [capacityKey(shipment.id)], 'slotting booked a trip and a dock slot');
  await writeBookedAudit(tx, shipment.id, booking.id, choice);
  // The ERP's shipment record now has a booking to show; the job key folds this into a
  // publication still waiting from the gate.
  const jobKey = `${PUBLISH_TASK}:${shipment.id}`;
  await enqueue(tx, PUBLISH_TASK, { shipmentId: shipment.id }, { jobKey, maxAttempts: 8 });

  return { status: 'booked', bookingId: booking.id, ...placement(choice) };
}

async function writeBookedAudit(tx: Tx, shipmentId: string, bookingId: string, c: SlotAssignment) {
  await writeAudit(tx, {
    entityType: 'Shipment',
    entityId: shipmentId,
    action: 'dispatch.slotted',
    actor: { type: 'SYSTEM', id: null },
    data: {
      bookingId,
      ...placement(c),
      remainingWeightKg: c.remainingWeightKg.toString(),
      remainingVolumeM3: c.remainingVolumeM3.toString(),
    },
  });
}

async function reportNoCapacity(
  tx: Tx,
  shipment: LockedShipment,
  candidates: CandidateTrips,
  measures: ShipmentMeasures,
  choice: NoCapacity,
): Promise<SlotOutcome> {
  const dates = new Map(
    candidates.trips.map((t) => [t.id, t.serviceDate.toISOString().slice(0, 10)]),
  );
  const tried = choice.trips.map((t) => ({ ...t, serviceDate: dates.get(t.tripId) ?? null }));
  const title =
    tried.length === 0
      ? `No bookable trip for ${shipment.ref}: no planned departure to book`
      : `No capacity for ${shipment.ref} on the next ${tried.length} trip(s) ` +
        `of route ${candidates.routeCode}`;
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
