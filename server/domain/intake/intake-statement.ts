import { randomUUID } from 'node:crypto';

import type { ActorType } from '../../db/generated/enums';
import { jobSpecRecord } from '../../jobs/enqueue';
import { auditHash } from '../audit/audit-hash';
import { applyItem, applyJobSpec } from '../shipments/apply-job';
import { storedPayload, type Candidate } from './intake-plan';
import type { Statement } from './intake-sql';
import type { IntakeActor, RecordOptions } from './record-events.types';

// The whole write of a batch as one statement: the events inserted (a repeat skipped), an audit
// row per inserted event, and the apply jobs of the inserted events' references. One statement
// is atomic by itself, so partner intake needs no explicit transaction (and none of its round
// trips); events recorded by hand run it inside one, after their locks.
//
// Row ids are chosen here rather than by the database, so that each audit row's hash (which
// covers the entity id) is computed before the statement and the audit rows are plain inserts.
// Each event is a new entity: its chain is this one row (seq 1, no previous hash), and nobody
// else can write to it before this statement commits, so writeAudit's per-entity lock is moot.
// The audit rows take their ids from rows `inserted` has already written, so the transaction id
// exists before any audit id is drawn, the order audit/checkpoint.ts relies on.

export const AUDIT_ENTITY = 'shipment_event';
export const AUDIT_ACTION = 'event.recorded';

export interface StatementRow {
  kind: 'inserted' | 'existing' | 'jobs';
  id: string;
  eventId: string;
  receivedAt: Date;
  payloadHash: string;
}

/**
 * One event as the statement takes it. Everything that differs between requests travels per
 * row (the partner, the source, the audit row's actor, request id and time), so that the rows
 * of several requests can be written by one statement (intake-writer.ts).
 */
export interface IntakeRow {
  id: string;
  partner_id: string | null;
  event_id: string;
  type: string;
  source: RecordOptions['source'];
  occurred_at: string;
  order_ref: string | null;
  shipment_ref: string | null;
  payload: unknown;
  payload_hash: string;
  user_id: string | null;
  document_id: string | null;
  /** The reference whose apply job the event needs; null for an event of its site alone. */
  ref: string | null;
  /** The apply's batch item key (`apply:<ref>`), null with ref. */
  apply_key: string | null;
  actor_type: ActorType;
  actor_id: string | null;
  request_id: string | null;
  audit_at: string;
  audit_data: unknown;
  audit_hash: string;
}

function statementText(partnerless: boolean): string {
  // A partner's eventIds are unique by index, so ON CONFLICT alone keeps a repeat out, and the
  // rows it skipped are read by a second statement only when there are any. Without a partner
  // NULLs are distinct to the index: the rows already stored (under the caller's locks) are
  // looked up first and answered from the same statement.
  const existing = partnerless
    ? `, existing AS (
      SELECT e.id, e.event_id, e.received_at, e.payload_hash
      FROM shipment_events e JOIN input i ON e.event_id = i.event_id
      WHERE e.partner_id IS NULL
    )`
    : '';
  const notExisting = partnerless
    ? 'WHERE NOT EXISTS (SELECT 1 FROM existing x WHERE x.event_id = i.event_id)'
    : '';
  const existingRows = partnerless
    ? `UNION ALL
    SELECT 'existing', id, event_id, received_at, payload_hash FROM existing`
    : '';

  return `
    WITH input AS (
      SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
        id uuid, partner_id uuid, event_id text, type text, source text, occurred_at timestamptz,
        order_ref text, shipment_ref text, payload jsonb, payload_hash text, user_id uuid,
        document_id uuid, apply_key text, actor_type text, actor_id text, request_id text,
        audit_at timestamptz, audit_data jsonb, audit_hash text)
    )${existing}, inserted AS (
      INSERT INTO shipment_events (id, partner_id, event_id, type, source, occurred_at, order_ref,
        shipment_ref, payload, payload_hash, disposition, user_id, document_id)
      SELECT i.id, i.partner_id, i.event_id, i.type::"EventType", i.source::"EventSource",
        i.occurred_at, i.order_ref, i.shipment_ref, i.payload, i.payload_hash, 'APPLIED',
        i.user_id, i.document_id
      FROM input i
      ${notExisting}
      -- In (partner, eventId) order, so that two statements sharing events wait on one another's
      -- unique entries in one order and cannot deadlock.
      ORDER BY i.partner_id, i.event_id
      ON CONFLICT (partner_id, event_id) DO NOTHING
      RETURNING id, event_id, received_at, payload_hash
    ), audited AS (
      INSERT INTO audit_log (entity_type, entity_id, seq, action, actor_type, actor_id,
        request_id, data, at, prev_hash, hash)
      SELECT '${AUDIT_ENTITY}', n.id::text, 1, '${AUDIT_ACTION}', i.actor_type::"ActorType",
        i.actor_id, i.request_id, i.audit_data, i.audit_at, NULL, i.audit_hash
      FROM inserted n JOIN input i ON i.id = n.id
    ), jobs AS (
      -- The apply of each reference of an inserted event: $2 holds one spec per reference of
      -- the input (its item key beside it), gathered here into one spec per batch job, in job
      -- key order, so that two statements sharing batch jobs cannot deadlock on them.
      SELECT enqueue_jobs(coalesce(json_agg(b.spec ORDER BY b.key), '[]')) AS n
      FROM (
        SELECT j.spec->>'job_key' AS key,
          jsonb_set(min(j.spec::text)::jsonb - 'item_key', '{payload}',
            jsonb_agg((j.spec->'payload'->0)::jsonb ORDER BY j.spec->>'item_key'))::json AS spec
        FROM json_array_elements($2::json) AS j(spec)
        WHERE j.spec->>'item_key' IN (SELECT i.apply_key FROM inserted n JOIN input i ON i.id = n.id)
        GROUP BY j.spec->>'job_key') AS b
    )
    SELECT 'inserted' AS kind, id, event_id AS "eventId", received_at AS "receivedAt",
      payload_hash AS "payloadHash"
    FROM inserted
    ${existingRows}
    UNION ALL
    -- A branch of the answer, so that the jobs are always added (a plain SELECT in WITH runs
    -- only as far as something reads it); it yields no row.
    SELECT 'jobs', NULL, NULL, NULL, NULL FROM jobs WHERE n < 0`;
}

const PARTNER_TEXT = statementText(false);
const PARTNERLESS_TEXT = statementText(true);

function actorOf(
  actor: IntakeActor,
  options: RecordOptions,
): { type: ActorType; id: string | null } {
  if (actor.partnerId !== null) return { type: 'PARTNER', id: actor.partnerId };

  return options.userId ? { type: 'USER', id: options.userId } : { type: 'SYSTEM', id: null };
}

/** The rows that write `leaders`, with their audit rows stamped `at`. */
export function intakeRows(
  actor: IntakeActor,
  leaders: readonly Candidate[],
  options: RecordOptions,
  at = new Date(),
): IntakeRow[] {
  const who = actorOf(actor, options);
  const requestId = options.requestId ?? null;
  const auditAt = at.toISOString();

  return leaders.map(({ event, hash, ref, occurredAt }) => {
    const id = randomUUID();
    const { eventId, type, site, orderRef, shipmentRef } = event;
    // Plain strings and absent members only: JSON.stringify stores what canonicalJson hashes.
    const data = {
      eventId,
      type,
      site,
      orderRef,
      shipmentRef,
      source: options.source,
      documentId: options.documentId,
      keyId: actor.keyId,
    };
    const content = { entityType: AUDIT_ENTITY, entityId: id, seq: 1, action: AUDIT_ACTION };

    return {
      id,
      partner_id: actor.partnerId,
      event_id: eventId,
      type,
      source: options.source,
      occurred_at: occurredAt,
      order_ref: orderRef ?? null,
      shipment_ref: shipmentRef ?? null,
      payload: storedPayload(event),
      payload_hash: hash,
      user_id: options.userId ?? null,
      document_id: options.documentId ?? null,
      ref,
      apply_key: ref === null ? null : applyItem(ref).key,
      actor_type: who.type,
      actor_id: who.id,
      request_id: requestId,
      audit_at: auditAt,
      audit_data: data,
      audit_hash: auditHash(null, {
        ...content,
        actorType: who.type,
        actorId: who.id,
        requestId,
        data,
        at,
      }),
    };
  });
}

/**
 * The statement that writes `rows`. Partnerless rows (events recorded by hand) are written by
 * themselves, inside the caller's transaction and locks; partner rows may come from several
 * requests at once.
 */
export function intakeStatement(rows: readonly IntakeRow[], partnerless: boolean): Statement {
  const refs = new Set<string>();
  for (const row of rows) if (row.ref !== null) refs.add(row.ref);
  const jobs = [...refs].map((ref) => ({
    ...jobSpecRecord(applyJobSpec(ref)),
    item_key: applyItem(ref).key,
  }));

  return {
    name: partnerless ? 'intake-write-partnerless' : 'intake-write',
    text: partnerless ? PARTNERLESS_TEXT : PARTNER_TEXT,
    values: [JSON.stringify(rows), JSON.stringify(jobs)],
  };
}
