import type { Db, Tx } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import { writeAudit } from '../audit/write-audit';
import { instantOf } from '../events/instant';
import type { EventResult } from '../events/schema';
import { enqueueApply } from '../shipments/apply-job';
import { planIntake, storedPayload, type Candidate, type IntakePlan } from './intake-plan';
import type { IntakeActor, IntakeSummary, ItemAnswer, RecordOptions } from './record-events.types';

// The one way in for canonical events: the API, EDI, EPCIS, CSV and the UI all end here.
//
// Storage (read by the apply job): `shipment_events.payload` holds the canonical event exactly
// as the schema parsed it, minus the transport-only `sentAt`:
//   { eventId, type, occurredAt, site, orderRef?, shipmentRef?, payload }
// so that a replay can re-parse it with the same schema and read the site code, which has no
// column of its own. `payload_hash` is events/canonical-json's `payloadHash`, over the same
// content minus eventId. The columns type, occurred_at, order_ref and shipment_ref repeat the
// envelope for indexes; disposition starts APPLIED and the apply job revises it.
//
// Idempotency is by (partner, eventId), whichever of the partner's keys sends it: a stored row
// with the same hash answers `duplicate` with the first outcome, a different hash is a conflict.
// The event row itself is the audit trail of partner intake (it is append-only); only events a
// person records by hand also get an audit row, since one per partner event would cost the
// intake its throughput.

interface StoredRow {
  id: string;
  eventId: string;
  receivedAt: Date;
  payloadHash: string;
}

// Prisma opens a transaction within 2 s by default; under a burst of requests that wait is spent
// queueing for a pooled connection, and running out of it must not turn into a 5xx.
const TRANSACTION = { maxWait: 15_000, timeout: 30_000 };

export async function recordEvents(
  db: Db,
  actor: IntakeActor,
  results: readonly EventResult[],
  options: RecordOptions,
): Promise<ItemAnswer[]> {
  const plan = planIntake(actor, results);
  const written = plan.leaders.length
    ? await db.$transaction((tx) => writePlan(tx, actor, plan, options), TRANSACTION)
    : [];

  return [...plan.rejected, ...written].sort((a, b) => a.index - b.index);
}

async function writePlan(
  tx: Tx,
  actor: IntakeActor,
  plan: IntakePlan,
  options: RecordOptions,
): Promise<ItemAnswer[]> {
  const eventIds = plan.leaders.map((c) => c.event.eventId);
  // Without a partner the unique index cannot catch a concurrent copy (NULLs are distinct), so
  // hand-recorded events take a lock per eventId instead; sorted, so two writers cannot deadlock.
  if (actor.partnerId === null) await lockEventIds(tx, eventIds);

  const rows = await insertNew(tx, actor.partnerId, plan.leaders, options);
  const standing = new Map<string, StoredRow>(rows.map((row) => [row.eventId, row]));
  const inserted = new Set(rows.filter((row) => row.inserted).map((row) => row.eventId));
  // A leader neither inserted nor seen was committed by a concurrent request after this
  // statement's snapshot (ON CONFLICT skipped it); a new statement sees it.
  const raced = eventIds.filter((id) => !standing.has(id));
  for (const row of await findStored(tx, actor.partnerId, raced)) standing.set(row.eventId, row);

  const accepted = plan.leaders.filter((c) => inserted.has(c.event.eventId));
  // An event recorded for its site alone (an inbound receipt) is applied to no shipment.
  await enqueueApply(
    tx,
    accepted.flatMap((c) => (c.ref === null ? [] : [c.ref])),
  );
  if (options.source === 'UI' && options.userId) await auditByHand(tx, accepted, standing, options);

  const rowOf = (c: Candidate) => standingRow(standing, c);

  return [
    ...plan.leaders.map((c) => answer(c, rowOf(c), inserted.has(c.event.eventId))),
    ...plan.followers.map((c) => answer(c, rowOf(c), false)),
  ];
}

function standingRow(standing: Map<string, StoredRow>, candidate: Candidate): StoredRow {
  const row = standing.get(candidate.event.eventId);
  if (!row) throw new Error(`event ${candidate.event.eventId} was neither stored nor found`);

  return row;
}

/** A leader that was inserted is accepted; any other item is judged against the stored row. */
function answer(candidate: Candidate, row: StoredRow, wasInserted: boolean): ItemAnswer {
  const { index, event, hash } = candidate;
  const eventId = event.eventId;
  const first = {
    status: 'accepted' as const,
    id: row.id,
    receivedAt: row.receivedAt.toISOString(),
  };
  if (wasInserted) return { index, eventId, ...first };
  if (row.payloadHash === hash) {
    return { index, eventId, status: 'duplicate', id: row.id, firstOutcome: first };
  }
  const reason =
    `conflict: eventId "${eventId}" was first received at ${first.receivedAt} ` +
    'with different content; send a new eventId, or EVENT_VOIDED for the first';

  return { index, eventId, status: 'rejected', issues: [{ path: 'eventId', reason }] };
}

function samePartner(partnerId: string | null): Prisma.Sql {
  // Two spellings rather than IS NOT DISTINCT FROM, which no index on (partner_id, ...) serves.
  return partnerId === null
    ? Prisma.sql`e.partner_id IS NULL`
    : Prisma.sql`e.partner_id = ${partnerId}::uuid`;
}

function inputRows(leaders: readonly Candidate[]): string {
  return JSON.stringify(
    leaders.map(({ event, hash }) => ({
      event_id: event.eventId,
      type: event.type,
      occurred_at: instantOf(event.occurredAt).toISOString(),
      order_ref: event.orderRef ?? null,
      shipment_ref: event.shipmentRef ?? null,
      payload: storedPayload(event),
      payload_hash: hash,
    })),
  );
}

/**
 * One statement for the whole batch: the rows already stored for these eventIds, and the rest
 * inserted. ON CONFLICT DO NOTHING covers a concurrent insert that the snapshot cannot see.
 */
async function insertNew(
  tx: Tx,
  partnerId: string | null,
  leaders: readonly Candidate[],
  options: RecordOptions,
): Promise<(StoredRow & { inserted: boolean })[]> {
  return tx.$queryRaw`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${inputRows(leaders)}::jsonb) AS r(
        event_id text, type text, occurred_at timestamptz, order_ref text, shipment_ref text,
        payload jsonb, payload_hash text)
    ), existing AS (
      SELECT e.id, e.event_id, e.received_at, e.payload_hash
      FROM shipment_events e JOIN input i ON e.event_id = i.event_id
      WHERE ${samePartner(partnerId)}
    ), inserted AS (
      INSERT INTO shipment_events (id, partner_id, event_id, type, source, occurred_at, order_ref,
        shipment_ref, payload, payload_hash, disposition, user_id, document_id)
      SELECT gen_random_uuid(), ${partnerId}::uuid, i.event_id, i.type::"EventType",
        ${options.source}::"EventSource", i.occurred_at, i.order_ref, i.shipment_ref, i.payload,
        i.payload_hash, 'APPLIED', ${options.userId ?? null}::uuid,
        ${options.documentId ?? null}::uuid
      FROM input i
      WHERE NOT EXISTS (SELECT 1 FROM existing x WHERE x.event_id = i.event_id)
      ON CONFLICT (partner_id, event_id) DO NOTHING
      RETURNING id, event_id, received_at, payload_hash
    )
    SELECT id, event_id AS "eventId", received_at AS "receivedAt",
      payload_hash AS "payloadHash", true AS inserted
    FROM inserted
    UNION ALL
    SELECT id, event_id, received_at, payload_hash, false FROM existing`;
}

async function findStored(
  tx: Tx,
  partnerId: string | null,
  eventIds: readonly string[],
): Promise<StoredRow[]> {
  if (eventIds.length === 0) return [];

  return tx.$queryRaw`
    SELECT id, event_id AS "eventId", received_at AS "receivedAt", payload_hash AS "payloadHash"
    FROM shipment_events e
    WHERE ${samePartner(partnerId)} AND e.event_id = ANY(${[...eventIds]}::text[])`;
}

async function lockEventIds(tx: Tx, eventIds: readonly string[]): Promise<void> {
  const sorted = [...eventIds].sort();
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('intake:' || id, 0))
    FROM unnest(${sorted}::text[]) AS id`;
}

async function auditByHand(
  tx: Tx,
  accepted: readonly Candidate[],
  standing: Map<string, StoredRow>,
  options: RecordOptions,
): Promise<void> {
  for (const candidate of accepted) {
    const { eventId, type, site, orderRef, shipmentRef } = candidate.event;
    await writeAudit(tx, {
      entityType: 'shipment_event',
      entityId: standingRow(standing, candidate).id,
      action: 'event.recorded',
      actor: { type: 'USER', id: options.userId ?? null },
      requestId: options.requestId ?? null,
      data: { eventId, type, site, orderRef, shipmentRef, source: options.source },
    });
  }
}

/** The answer to a whole request: every item, and how many of each. */
export function summarise(results: ItemAnswer[]): IntakeSummary {
  const count = (status: ItemAnswer['status']) => results.filter((r) => r.status === status).length;

  return {
    results,
    accepted: count('accepted'),
    duplicates: count('duplicate'),
    rejected: count('rejected'),
  };
}
