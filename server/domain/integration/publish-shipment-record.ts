import { createHash, randomUUID } from 'node:crypto';
import type { Db, Tx } from '../../db/client';
import type { Prisma } from '../../db/generated/client';
import { enqueue } from '../../jobs/enqueue';
import { logger } from '../../lib/logger';
import { decimal, toStorage } from '../../lib/money';
import { canonicalJson } from '../audit/canonical-json';
import { deriveStatus } from '../shipments/shipment-status';
import { ERP_RECORD_TOPIC } from './webhooks/catalog';

// The ERP's shipment record, sent as an outbound canonical event through the transactional
// outbox: the message is written in a transaction of its own here, and `deliver_outbox` is
// enqueued in that same transaction, so a message is never written without its delivery job nor
// a job left without its message. deliver-outbox.ts hands it to the subscriptions to its topic
// (the demo world's ERP receiver among them), each delivery signed and retried on its own.
//
// Safe to run twice: a message is written only when the record differs from the last one sent
// for the shipment (by a hash of its content), so a rerun or a burst of triggers sends one.

const log = logger('publish-shipment-record');

export { ERP_RECORD_TOPIC };
export const DELIVER_OUTBOX_TASK = 'deliver_outbox';
export const RECORD_EVENT_TYPE = 'SHIPMENT_RECORD_UPDATED';

const TX_OPTIONS = { timeout: 30_000, maxWait: 15_000 };

export type PublishOutcome =
  | { status: 'queued'; outboxId: string; sequence: number }
  | { status: 'unchanged'; outboxId: string }
  | { status: 'skipped'; reason: 'NOT_FOUND' };

/** The message body: the record plus what a receiver needs to apply it once and in order. */
export interface ShipmentRecordMessage {
  type: typeof RECORD_EVENT_TYPE;
  schemaVersion: 1;
  aggregateId: string;
  /** 1, 2, 3... per shipment: a receiver keeps the highest it has seen. */
  sequence: number;
  /** SHA-256 of the canonical JSON of `shipment`. */
  contentHash: string;
  generatedAt: string;
  shipment: ShipmentRecord;
}

export type ShipmentRecord = ReturnType<typeof toRecord>;

export async function publishShipmentRecord(
  db: Db,
  shipmentId: string,
  options: { now?: Date } = {},
): Promise<PublishOutcome> {
  const now = options.now ?? new Date();
  const outcome = await db.$transaction(
    (tx) => publishInTransaction(tx, shipmentId, now),
    TX_OPTIONS,
  );
  log.info({ shipmentId, outcome: outcome.status }, 'shipment record publication ran');

  return outcome;
}

async function loadShipment(tx: Tx, shipmentId: string) {
  return tx.shipment.findUnique({
    where: { id: shipmentId },
    include: {
      customer: { select: { code: true } },
      site: { select: { code: true } },
      order: { select: { ref: true, poNumber: true } },
      shipTo: { select: { code: true, postalCode: true, country: true } },
      plannedTrip: { include: { departure: { include: { route: { select: { code: true } } } } } },
      holds: {
        where: { releasedAt: null },
        select: { reason: true, detail: true },
        orderBy: { reason: 'asc' },
      },
      bookings: {
        where: { status: { not: 'CANCELLED' } },
        include: { vehicle: { select: { code: true } }, dockDoor: { select: { code: true } } },
        orderBy: { bookedAt: 'desc' },
        take: 1,
      },
    },
  });
}

type RecordShipment = NonNullable<Awaited<ReturnType<typeof loadShipment>>>;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function milestonesOf(s: RecordShipment) {
  return {
    releasedAt: iso(s.releasedAt),
    pickedAt: iso(s.pickedAt),
    packedStagedAt: iso(s.packedStagedAt),
    readyAt: iso(s.readyAt),
    heldAt: iso(s.heldAt),
    slottedAt: iso(s.slottedAt),
    loadedAt: iso(s.loadedAt),
    departedAt: iso(s.departedAt),
    arrivedAt: iso(s.arrivedAt),
    deliveredAt: iso(s.deliveredAt),
    podReceivedAt: iso(s.podReceivedAt),
    invoicedAt: iso(s.invoicedAt),
    cancelledAt: iso(s.cancelledAt),
  };
}

function plannedTripOf(s: RecordShipment) {
  const trip = s.plannedTrip;
  if (!trip) return null;

  return {
    tripId: trip.id,
    routeCode: trip.departure.route.code,
    serviceDate: trip.serviceDate.toISOString().slice(0, 10),
    departsAt: iso(trip.departsAt),
    cutoffAt: iso(trip.cutoffAt),
  };
}

function bookingOf(s: RecordShipment) {
  const [b] = s.bookings;
  if (!b) return null;

  return {
    tripId: b.tripId,
    status: b.status,
    vehicleCode: b.vehicle.code,
    dockDoorCode: b.dockDoor.code,
    slotStart: iso(b.slotStart),
    slotEnd: iso(b.slotEnd),
  };
}

/** The ERP's view of the shipment. Decimals travel as strings with their unit or currency. */
function toRecord(s: RecordShipment) {
  return {
    ref: s.ref,
    orderRef: s.order.ref,
    poNumber: s.order.poNumber,
    // Derived from the milestones here, so it can never disagree with them in one message.
    status: deriveStatus(s),
    readiness: s.readiness,
    holds: s.holds,
    customerCode: s.customer.code,
    siteCode: s.site.code,
    shipTo: s.shipTo,
    goodsValue:
      s.goodsValue === null ? null : { amount: toStorage(s.goodsValue), currency: s.currency },
    weightKg: s.weightKg === null ? null : decimal(s.weightKg).toString(),
    volumeM3: s.volumeM3 === null ? null : decimal(s.volumeM3).toString(),
    handlingUnits: s.handlingUnits,
    dangerousGoods: s.dangerousGoods,
    milestones: milestonesOf(s),
    plannedTrip: plannedTripOf(s),
    booking: bookingOf(s),
  };
}

export function contentHashOf(record: ShipmentRecord): string {
  return createHash('sha256').update(canonicalJson(record)).digest('hex');
}

async function latestMessage(tx: Tx, shipmentId: string) {
  const [latest] = await tx.$queryRaw<
    { id: string; hash: string | null; sequence: number | null }[]
  >`
    SELECT id, payload->>'contentHash' AS hash, (payload->>'sequence')::int AS sequence
    FROM outbox_messages
    WHERE topic = ${ERP_RECORD_TOPIC} AND aggregate_id = ${shipmentId}
    ORDER BY (payload->>'sequence')::int DESC NULLS LAST, created_at DESC
    LIMIT 1`;

  return latest ?? null;
}

interface NewMessage {
  shipmentId: string;
  sequence: number;
  contentHash: string;
  now: Date;
  record: ShipmentRecord;
}

/** The message and its delivery job, together in the caller's transaction. */
async function writeMessage(tx: Tx, m: NewMessage): Promise<string> {
  const id = randomUUID();
  const message: ShipmentRecordMessage = {
    type: RECORD_EVENT_TYPE,
    schemaVersion: 1,
    aggregateId: m.shipmentId,
    sequence: m.sequence,
    contentHash: m.contentHash,
    generatedAt: m.now.toISOString(),
    shipment: m.record,
  };
  await tx.outboxMessage.create({
    data: {
      id,
      topic: ERP_RECORD_TOPIC,
      aggregateId: m.shipmentId,
      payload: message as unknown as Prisma.InputJsonValue,
      createdAt: m.now,
    },
  });
  const jobKey = `${DELIVER_OUTBOX_TASK}:${id}`;
  await enqueue(tx, DELIVER_OUTBOX_TASK, { id }, { jobKey, maxAttempts: 12 });

  return id;
}

async function publishInTransaction(
  tx: Tx,
  shipmentId: string,
  now: Date,
): Promise<PublishOutcome> {
  // Publications of one shipment take turns, so that the hash check and the sequence number
  // read below stay true until this commits.
  const lockKey = `outbox:${ERP_RECORD_TOPIC}:${shipmentId}`;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${lockKey}, 0))`;
  const shipment = await loadShipment(tx, shipmentId);
  if (!shipment) return { status: 'skipped', reason: 'NOT_FOUND' };

  const record = toRecord(shipment);
  const contentHash = contentHashOf(record);
  const latest = await latestMessage(tx, shipmentId);
  // Only the latest counts: a record that went A, B and back to A is news to the ERP again.
  if (latest?.hash === contentHash) return { status: 'unchanged', outboxId: latest.id };

  const sequence = (latest?.sequence ?? 0) + 1;
  const id = await writeMessage(tx, { shipmentId, sequence, contentHash, now, record });

  return { status: 'queued', outboxId: id, sequence };
}
