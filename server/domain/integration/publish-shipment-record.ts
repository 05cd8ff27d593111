import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../../db/client';
import { unkeyedBatchSpec } from '../../jobs/batch-jobs';
import { jobSpecRecord } from '../../jobs/enqueue';
import { logger } from '../../lib/logger';
import { decimal, toStorage, type DecimalLike } from '../../lib/money';
import { canonicalJson } from '../audit/canonical-json';
import { withIntakeSql, type Query } from '../intake/intake-sql';
import { deriveStatus, type StatusInputs } from '../shipments/shipment-status';
import { ERP_RECORD_TOPIC } from './webhooks/catalog';

// The ERP's shipment record, sent as an outbound canonical event through the transactional
// outbox: the message is written in a transaction of its own here, and `deliver_outbox` is
// enqueued in that same transaction (one job for the messages of a statement), so a message is never written without its delivery job nor
// a job left without its message. deliver-outbox.ts hands it to the subscriptions to its topic
// (the demo world's ERP receiver among them), each delivery signed and retried on its own.
//
// Safe to run twice: a message is written only when the record differs from the last one sent
// for the shipment (by a hash of its content), so a rerun or a burst of triggers sends one.

const log = logger('publish-shipment-record');

export { ERP_RECORD_TOPIC };
export const DELIVER_OUTBOX_TASK = 'deliver_outbox';
export const RECORD_EVENT_TYPE = 'SHIPMENT_RECORD_UPDATED';

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
  // Straight on the pg pool under the client, in a transaction of its own: both statements are
  // raw SQL, and Prisma's own cost per statement was most of this job's Node CPU.
  const outcome = await withIntakeSql(db, true, (query) =>
    publishInTransaction(query, shipmentId, now),
  );
  log.info({ shipmentId, outcome: outcome.status }, 'shipment record publication ran');

  return outcome;
}

type Milestones = Record<
  | 'releasedAt'
  | 'pickedAt'
  | 'packedStagedAt'
  | 'readyAt'
  | 'heldAt'
  | 'slottedAt'
  | 'loadedAt'
  | 'departedAt'
  | 'arrivedAt'
  | 'deliveredAt'
  | 'podReceivedAt'
  | 'invoicedAt'
  | 'cancelledAt',
  string | null
>;

/** The lock that makes the publications of one shipment's record take turns. */
export const recordLockKey = (shipmentId: string) => `outbox:${ERP_RECORD_TOPIC}:${shipmentId}`;

/** The shipment as shipment_record_read answers it: decimals as text, times as ISO text. */
export interface RecordRow extends Milestones {
  id: string;
  ref: string;
  readiness: StatusInputs['readiness'];
  goodsValue: DecimalLike | null;
  currency: string | null;
  weightKg: DecimalLike | null;
  volumeM3: DecimalLike | null;
  handlingUnits: number | null;
  dangerousGoods: boolean;
  orderRef: string;
  poNumber: string | null;
  customerCode: string;
  siteCode: string;
  shipTo: { code: string; postalCode: string; country: string };
  holds: { reason: string; detail: unknown }[];
  plannedTrip: {
    id: string;
    routeCode: string;
    serviceDate: string;
    departsAt: string;
    cutoffAt: string;
  } | null;
  booking: {
    tripId: string;
    status: string;
    vehicleCode: string;
    dockDoorCode: string;
    slotStart: string;
    slotEnd: string;
  } | null;
  latest: { id: string; hash: string | null; sequence: number | null } | null;
}

/**
 * The lock and the read, in one round trip (shipment_record_read, in the migration
 * 20261205030000_branch_reads): publications of one shipment take turns, so that the hash check
 * and the sequence number read here stay true until this commits; then the shipment as the
 * record shows it and the last message sent for it. Asynchronous commit loses nothing, as in
 * the apply (apply-events.ts): the job is done only once graphile-worker commits its completion
 * after this commit, and a crash that loses this commit loses that completion too, so the job
 * runs again and writes the message it lost.
 */
async function lockAndLoad(query: Query, shipmentId: string): Promise<RecordRow | null> {
  const lockKey = recordLockKey(shipmentId);
  const [row] = await query<{ shipment: RecordRow | null }>({
    name: 'publish_record_read',
    text: `SELECT set_config('synchronous_commit', 'off', true) AS commit_mode,
      shipment_record_read($1::text, $2::text, $3::text) AS shipment`,
    values: [shipmentId, lockKey, ERP_RECORD_TOPIC],
  });

  return row?.shipment ?? null;
}

type RecordShipment = RecordRow;

function milestonesOf(s: RecordShipment) {
  return {
    releasedAt: s.releasedAt,
    pickedAt: s.pickedAt,
    packedStagedAt: s.packedStagedAt,
    readyAt: s.readyAt,
    heldAt: s.heldAt,
    slottedAt: s.slottedAt,
    loadedAt: s.loadedAt,
    departedAt: s.departedAt,
    arrivedAt: s.arrivedAt,
    deliveredAt: s.deliveredAt,
    podReceivedAt: s.podReceivedAt,
    invoicedAt: s.invoicedAt,
    cancelledAt: s.cancelledAt,
  };
}

function plannedTripOf(s: RecordShipment) {
  const trip = s.plannedTrip;
  if (!trip) return null;

  return {
    tripId: trip.id,
    routeCode: trip.routeCode,
    serviceDate: trip.serviceDate,
    departsAt: trip.departsAt,
    cutoffAt: trip.cutoffAt,
  };
}

function bookingOf(s: RecordShipment) {
  const b = s.booking;
  if (!b) return null;

  return {
    tripId: b.tripId,
    status: b.status,
    vehicleCode: b.vehicleCode,
    dockDoorCode: b.dockDoorCode,
    slotStart: b.slotStart,
    slotEnd: b.slotEnd,
  };
}

// deriveStatus reads only whether each milestone is set.
function statusInputs(s: RecordShipment): StatusInputs {
  const at = (iso: string | null) => (iso === null ? null : new Date(iso));

  return {
    readiness: s.readiness,
    pickedAt: at(s.pickedAt),
    packedStagedAt: at(s.packedStagedAt),
    slottedAt: at(s.slottedAt),
    loadedAt: at(s.loadedAt),
    departedAt: at(s.departedAt),
    arrivedAt: at(s.arrivedAt),
    deliveredAt: at(s.deliveredAt),
    podReceivedAt: at(s.podReceivedAt),
    invoicedAt: at(s.invoicedAt),
    cancelledAt: at(s.cancelledAt),
  };
}

/** The ERP's view of the shipment. Decimals travel as strings with their unit or currency. */
function toRecord(s: RecordShipment) {
  return {
    ref: s.ref,
    orderRef: s.orderRef,
    poNumber: s.poNumber,
    // Derived from the milestones here, so it can never disagree with them in one message.
    status: deriveStatus(statusInputs(s)),
    readiness: s.readiness,
    holds: s.holds,
    customerCode: s.customerCode,
    siteCode: s.siteCode,
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

export interface NewMessage {
  shipmentId: string;
  sequence: number;
  contentHash: string;
  now: Date;
  record: ShipmentRecord;
}

/**
 * The messages and their delivery jobs, together, in one statement of the caller's
 * transaction, for any number of them: the outcome of each, in order.
 */
export async function writeMessages(
  query: Query,
  messages: readonly NewMessage[],
): Promise<PublishOutcome[]> {
  const rows = messages.map((m) => {
    const payload: ShipmentRecordMessage = {
      type: RECORD_EVENT_TYPE,
      schemaVersion: 1,
      aggregateId: m.shipmentId,
      sequence: m.sequence,
      contentHash: m.contentHash,
      generatedAt: m.now.toISOString(),
      shipment: m.record,
    };

    return { id: randomUUID(), aggregate_id: m.shipmentId, created_at: m.now, payload };
  });
  // One dispatch job for the statement's messages (an unkeyed batch: jobs/batch-jobs.ts); a
  // message that fails in it is retried by itself, under the key `deliver_outbox:<id>`.
  const job = jobSpecRecord(
    unkeyedBatchSpec(
      DELIVER_OUTBOX_TASK,
      rows.map((r) => ({ id: r.id })),
      { maxAttempts: 12 },
    ),
  );
  await query({
    name: 'publish_records_write',
    text: `WITH message AS (
      INSERT INTO outbox_messages (id, topic, aggregate_id, payload, created_at)
      SELECT m.id, $2, m.aggregate_id, m.payload, m.created_at
      FROM json_to_recordset($1::json)
        AS m(id uuid, aggregate_id text, payload jsonb, created_at timestamptz)
      RETURNING id)
    SELECT count(*) AS jobs FROM graphile_worker.add_jobs(
      ARRAY[json_populate_record(null::graphile_worker.job_spec, $3::json)])`,
    values: [JSON.stringify(rows), ERP_RECORD_TOPIC, JSON.stringify(job)],
  });

  return rows.map((r, i) => ({
    status: 'queued',
    outboxId: r.id,
    sequence: messages[i]!.sequence,
  }));
}

/**
 * What a publication makes of the shipment as read: the message to write, or the last one sent
 * when the record has not changed since.
 */
export function nextMessage(
  shipmentId: string,
  shipment: RecordRow,
  now: Date,
): NewMessage | PublishOutcome {
  const record = toRecord(shipment);
  const contentHash = contentHashOf(record);
  const latest = shipment.latest;
  // Only the latest counts: a record that went A, B and back to A is news to the ERP again.
  if (latest && latest.hash === contentHash) return { status: 'unchanged', outboxId: latest.id };

  return { shipmentId, sequence: (latest?.sequence ?? 0) + 1, contentHash, now, record };
}

async function publishInTransaction(
  query: Query,
  shipmentId: string,
  now: Date,
): Promise<PublishOutcome> {
  const shipment = await lockAndLoad(query, shipmentId);
  if (!shipment) return { status: 'skipped', reason: 'NOT_FOUND' };
  const next = nextMessage(shipmentId, shipment, now);
  if ('status' in next) return next;
  const [outcome] = await writeMessages(query, [next]);

  return outcome!;
}
