import { sqlPoolOf, type Db } from '../../db/client';
import type { EventResult } from '../events/schema';
import { planIntake, type Candidate, type IntakePlan } from './intake-plan';
import { withIntakeSql, type Query, type Statement } from './intake-sql';
import { intakeRows, intakeStatement, type IntakeRow, type StatementRow } from './intake-statement';
import { writePartnerRows } from './intake-writer';
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
// Every accepted event gets its audit row (actor: the partner, the person, or the system) in the
// same statement that stores it; see intake-statement.ts.

interface StoredRow {
  id: string;
  eventId: string;
  receivedAt: Date;
  payloadHash: string;
}

export async function recordEvents(
  db: Db,
  actor: IntakeActor,
  results: readonly EventResult[],
  options: RecordOptions,
): Promise<ItemAnswer[]> {
  const plan = planIntake(actor, results);
  if (plan.leaders.length === 0) return plan.rejected;

  // Partner events go through the pool's coalescing writer (intake-writer.ts). Without a partner
  // the unique index cannot catch a concurrent copy (NULLs are distinct), so hand-recorded
  // events take a lock per eventId in a transaction around the write instead.
  const pool = sqlPoolOf(db);
  const partnerless = actor.partnerId === null;
  const written =
    pool && !partnerless
      ? await writePlan(
          async <R>(statement: Statement) => (await pool.query<R & object>(statement)).rows,
          (rows) => writePartnerRows(pool, rows),
          actor,
          plan,
          options,
        )
      : await withIntakeSql(db, partnerless, (query) =>
          writePlan(
            query,
            (rows) => query<StatementRow>(intakeStatement(rows, partnerless)),
            actor,
            plan,
            options,
          ),
        );

  return [...plan.rejected, ...written].sort((a, b) => a.index - b.index);
}

/** Writes the rows, answering those it inserted (and, partnerless, those already stored). */
type WriteRows = (rows: readonly IntakeRow[]) => Promise<StatementRow[]>;

async function writePlan(
  query: Query,
  write: WriteRows,
  actor: IntakeActor,
  plan: IntakePlan,
  options: RecordOptions,
): Promise<ItemAnswer[]> {
  const eventIds = plan.leaders.map((c) => c.event.eventId);
  if (actor.partnerId === null) await lockEventIds(query, eventIds);

  const rows = await write(intakeRows(actor, plan.leaders, options));
  const standing = new Map<string, StoredRow>();
  const inserted = new Set<string>();
  for (const row of rows) {
    if (row.kind === 'jobs') continue;
    standing.set(row.eventId, row);
    if (row.kind === 'inserted') inserted.add(row.eventId);
  }
  // A leader not inserted is a repeat of a stored event, or of one a concurrent request committed
  // meanwhile (ON CONFLICT waited for it and skipped it); a new statement sees either.
  const skipped = eventIds.filter((id) => !standing.has(id));
  for (const row of await findStored(query, actor.partnerId, skipped)) {
    standing.set(row.eventId, row);
  }

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

async function findStored(
  query: Query,
  partnerId: string | null,
  eventIds: readonly string[],
): Promise<StoredRow[]> {
  if (eventIds.length === 0) return [];
  const samePartner = partnerId === null ? 'partner_id IS NULL' : 'partner_id = $2::uuid';

  return query<StoredRow>({
    name: partnerId === null ? 'intake-find-partnerless' : 'intake-find',
    text: `SELECT id, event_id AS "eventId", received_at AS "receivedAt",
        payload_hash AS "payloadHash"
      FROM shipment_events
      WHERE ${samePartner} AND event_id = ANY($1::text[])`,
    values: partnerId === null ? [[...eventIds]] : [[...eventIds], partnerId],
  });
}

async function lockEventIds(query: Query, eventIds: readonly string[]): Promise<void> {
  // Sorted, so that two writers cannot deadlock.
  await query({
    name: 'intake-lock-event-ids',
    text: `SELECT count(pg_advisory_xact_lock(hashtextextended('intake:' || id, 0)))
      FROM unnest($1::text[]) AS id`,
    values: [[...eventIds].sort()],
  });
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
