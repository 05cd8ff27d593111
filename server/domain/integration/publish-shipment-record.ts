import { createHash, randomUUID } from 'node:crypto';
import type { Db, Tx } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import { jobSpecRecord } from '../../jobs/enqueue';
import { logger } from '../../lib/logger';
import { decimal, toStorage, type DecimalLike } from '../../lib/money';
import { canonicalJson } from '../audit/canonical-json';
import { deriveStatus, type StatusInputs } from '../shipments/shipment-status';
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

/** A timestamptz column as JavaScript's toISOString() writes it (UTC, milliseconds, Z). */
const isoOf = (column: string) =>
  Prisma.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

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

interface RecordRow {
  id: string;
  ref: string;
  readiness: StatusInputs['readiness'];
  goodsValue: DecimalLike | null;
  currency: string | null;
  weightKg: DecimalLike | null;
  volumeM3: DecimalLike | null;
  handlingUnits: number | null;
  dangerousGoods: boolean;
  releasedAt: Date;
  pickedAt: Date | null;
  packedStagedAt: Date | null;
  readyAt: Date | null;
  heldAt: Date | null;
  slottedAt: Date | null;
  loadedAt: Date | null;
  departedAt: Date | null;
  arrivedAt: Date | null;
  deliveredAt: Date | null;
  podReceivedAt: Date | null;
  invoicedAt: Date | null;
  cancelledAt: Date | null;
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
  latestId: string | null;
  latestHash: string | null;
  latestSequence: number | null;
}

/**
 * The shipment as the record shows it and the last message sent for it, in one statement.
 * Decimals come as text and nested timestamps as ISO text, so nothing passes through a float.
 */
async function loadShipment(tx: Tx, shipmentId: string): Promise<RecordRow | null> {
  const id = Prisma.sql`${shipmentId}::uuid`;
  const rows = await tx.$queryRaw<RecordRow[]>`
    SELECT s.id, s.ref, s.readiness::text AS readiness, s.goods_value::text AS "goodsValue",
      s.currency, s.weight_kg::text AS "weightKg", s.volume_m3::text AS "volumeM3",
      s.handling_units AS "handlingUnits", s.dangerous_goods AS "dangerousGoods",
      s.released_at AS "releasedAt", s.picked_at AS "pickedAt",
      s.packed_staged_at AS "packedStagedAt", s.ready_at AS "readyAt", s.held_at AS "heldAt",
      s.slotted_at AS "slottedAt", s.loaded_at AS "loadedAt", s.departed_at AS "departedAt",
      s.arrived_at AS "arrivedAt", s.delivered_at AS "deliveredAt",
      s.pod_received_at AS "podReceivedAt", s.invoiced_at AS "invoicedAt",
      s.cancelled_at AS "cancelledAt", o.ref AS "orderRef", o.po_number AS "poNumber",
      c.code AS "customerCode", st.code AS "siteCode",
      json_build_object('code', l.code, 'postalCode', l.postal_code, 'country', l.country)
        AS "shipTo",
      coalesce((SELECT json_agg(json_build_object('reason', h.reason, 'detail', h.detail)
                  ORDER BY h.reason)
                FROM holds h WHERE h.shipment_id = s.id AND h.released_at IS NULL), '[]')
        AS holds,
      (SELECT json_build_object('id', t.id, 'routeCode', r.code,
          'serviceDate', to_char(t.service_date, 'YYYY-MM-DD'),
          'departsAt', ${isoOf('t.departs_at')}, 'cutoffAt', ${isoOf('t.cutoff_at')})
        FROM trips t JOIN route_departures d ON d.id = t.departure_id
        JOIN routes r ON r.id = d.route_id WHERE t.id = s.planned_trip_id) AS "plannedTrip",
      (SELECT json_build_object('tripId', b.trip_id, 'status', b.status,
          'vehicleCode', v.code, 'dockDoorCode', dd.code,
          'slotStart', ${isoOf('b.slot_start')}, 'slotEnd', ${isoOf('b.slot_end')})
        FROM dispatch_bookings b JOIN vehicles v ON v.id = b.vehicle_id
        JOIN dock_doors dd ON dd.id = b.dock_door_id
        WHERE b.shipment_id = s.id AND b.status <> 'CANCELLED'
        ORDER BY b.booked_at DESC LIMIT 1) AS booking,
      m.id AS "latestId", m.hash AS "latestHash", m.sequence AS "latestSequence"
    FROM shipments s
    JOIN orders o ON o.id = s.order_id
    JOIN customers c ON c.id = s.customer_id
    JOIN sites st ON st.id = s.site_id
    JOIN customer_locations l ON l.id = s.ship_to_id
    LEFT JOIN LATERAL (
      SELECT id::text, payload->>'contentHash' AS hash, (payload->>'sequence')::int AS sequence
      FROM outbox_messages
      WHERE topic = ${ERP_RECORD_TOPIC} AND aggregate_id = ${shipmentId}
      ORDER BY (payload->>'sequence')::int DESC NULLS LAST, created_at DESC
      LIMIT 1) m ON true
    WHERE s.id = ${id}`;

  return rows[0] ?? null;
}

type RecordShipment = RecordRow;

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

/** The ERP's view of the shipment. Decimals travel as strings with their unit or currency. */
function toRecord(s: RecordShipment) {
  return {
    ref: s.ref,
    orderRef: s.orderRef,
    poNumber: s.poNumber,
    // Derived from the milestones here, so it can never disagree with them in one message.
    status: deriveStatus(s),
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

interface NewMessage {
  shipmentId: string;
  sequence: number;
  contentHash: string;
  now: Date;
  record: ShipmentRecord;
}

/** The message and its delivery job, together, in one statement of the caller's transaction. */
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
  const job = jobSpecRecord({
    task: DELIVER_OUTBOX_TASK,
    payload: { id },
    jobKey: `${DELIVER_OUTBOX_TASK}:${id}`,
    maxAttempts: 12,
  });
  await tx.$executeRaw`
    WITH message AS (
      INSERT INTO outbox_messages (id, topic, aggregate_id, payload, created_at)
      VALUES (${id}::uuid, ${ERP_RECORD_TOPIC}, ${m.shipmentId}, ${JSON.stringify(message)}::jsonb,
              ${m.now})
      RETURNING id)
    SELECT graphile_worker.add_jobs(array(
      SELECT json_populate_record(null::graphile_worker.job_spec, ${JSON.stringify(job)}::json)
      FROM message))`;

  return id;
}

async function publishInTransaction(
  tx: Tx,
  shipmentId: string,
  now: Date,
): Promise<PublishOutcome> {
  // Publications of one shipment take turns, so that the hash check and the sequence number
  // read below stay true until this commits. Asynchronous commit loses nothing, as in the
  // apply (apply-events.ts): the job is done only once graphile-worker commits its completion
  // after this commit, and a crash that loses this commit loses that completion too, so the job
  // runs again and writes the message it lost.
  const lockKey = `outbox:${ERP_RECORD_TOPIC}:${shipmentId}`;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${lockKey}, 0)),
    set_config('synchronous_commit', 'off', true)`;
  const shipment = await loadShipment(tx, shipmentId);
  if (!shipment) return { status: 'skipped', reason: 'NOT_FOUND' };

  const record = toRecord(shipment);
  const contentHash = contentHashOf(record);
  // Only the latest counts: a record that went A, B and back to A is news to the ERP again.
  if (shipment.latestId && shipment.latestHash === contentHash)
    return { status: 'unchanged', outboxId: shipment.latestId };

  const sequence = (shipment.latestSequence ?? 0) + 1;
  const id = await writeMessage(tx, { shipmentId, sequence, contentHash, now, record });

  return { status: 'queued', outboxId: id, sequence };
}
