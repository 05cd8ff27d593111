import type { Tx } from '../../db/client';
import type { ActorType } from '../../db/generated/enums';
import { sql } from '../../db/generated/internal/prismaNamespace';
import { auditHash, type AuditRowContent } from './audit-hash';
import { toJsonValue } from './canonical-json';

export interface AuditActor {
  type: ActorType;
  id: string | null;
}

export interface AuditEntry {
  entityType: string;
  entityId: string;
  action: string;
  actor: AuditActor;
  requestId?: string | null;
  data?: unknown;
}

/**
 * Appends one row to the entity's audit chain. Call it inside the transaction of the change it
 * records, so that the change and its audit row commit or roll back together.
 */
export async function writeAudit(
  tx: Tx,
  entry: AuditEntry,
): Promise<{ seq: number; hash: string }> {
  // Serialises writers of the same entity until commit, so seq and prevHash cannot race. The
  // transaction id is taken here, before the row's id: checkpoint.ts relies on that order to
  // know when no transaction in flight can still commit a row below the id it seals through.
  const lockKey = `audit:${entry.entityType}:${entry.entityId}`;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${lockKey}, 0)), pg_current_xact_id()`;

  const last = await tx.auditLog.findFirst({
    where: { entityType: entry.entityType, entityId: entry.entityId },
    orderBy: { seq: 'desc' },
    select: { seq: true, hash: true },
  });
  const record = auditRecord(last ?? null, entry, new Date());
  await tx.$executeRaw(insertAuditSql(JSON.stringify(record)));

  return { seq: record.seq, hash: record.hash };
}

/**
 * Appends many rows at once, each to its entity's chain, in the order given: what writeAudit
 * does, in three statements however many rows (a sweep of a thousand SLA timers writes a
 * thousand). The entities' locks are taken in one sorted pass, so that two batches over
 * overlapping entities queue behind each other instead of deadlocking.
 */
export async function writeAudits(tx: Tx, entries: readonly AuditEntry[]): Promise<number> {
  if (entries.length === 0) return 0;
  const keys = [...new Set(entries.map((e) => `audit:${e.entityType}:${e.entityId}`))].sort();
  await tx.$executeRaw`SELECT pg_current_xact_id(),
    (SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0)))
       FROM (SELECT k FROM unnest(${keys}::text[]) AS k ORDER BY k) AS sorted)`;

  const chains = [...new Map(entries.map((e) => [chainKey(e), e])).values()];
  const lasts = await tx.$queryRaw<{ t: string; i: string; seq: number; hash: string }[]>`
    SELECT v.t, v.i, l.seq, l.hash
    FROM unnest(${chains.map((c) => c.entityType)}::text[], ${chains.map((c) => c.entityId)}::text[]) AS v(t, i)
    CROSS JOIN LATERAL (
      SELECT seq, hash FROM audit_log
      WHERE entity_type = v.t AND entity_id = v.i ORDER BY seq DESC LIMIT 1) AS l`;
  const heads = new Map<string, { seq: number; hash: string | null }>(
    lasts.map((l) => [`${l.t}\u0000${l.i}`, { seq: l.seq, hash: l.hash }]),
  );
  const at = new Date();
  const rows = entries.map((entry) => {
    const key = chainKey(entry);
    const record = auditRecord(heads.get(key) ?? null, entry, at);
    heads.set(key, { seq: record.seq, hash: record.hash });

    return record;
  });

  return tx.$executeRaw`
    INSERT INTO audit_log
      (entity_type, entity_id, seq, action, actor_type, actor_id, request_id, data, at,
       prev_hash, hash)
    SELECT r.entity_type, r.entity_id, r.seq, r.action, r.actor_type, r.actor_id, r.request_id,
      r.data, r.at, r.prev_hash, r.hash
    FROM json_to_recordset(${JSON.stringify(rows)}::json) AS r(
      entity_type text, entity_id text, seq int, action text, actor_type "ActorType",
      actor_id text, request_id text, data jsonb, at timestamptz, prev_hash text, hash text)`;
}

/** The row that follows `head` (null: the chain's first), hashed, as audit_log's columns. */
export function auditRecord(
  head: { seq: number; hash: string | null } | null,
  entry: AuditEntry,
  at: Date,
) {
  const row: AuditRowContent = {
    entityType: entry.entityType,
    entityId: entry.entityId,
    seq: (head?.seq ?? 0) + 1,
    action: entry.action,
    actorType: entry.actor.type,
    actorId: entry.actor.id,
    requestId: entry.requestId ?? null,
    data: entry.data === undefined ? null : toJsonValue(entry.data),
    at,
  };
  const prevHash = head?.hash ?? null;

  return {
    entity_type: row.entityType,
    entity_id: row.entityId,
    seq: row.seq,
    action: row.action,
    actor_type: row.actorType,
    actor_id: row.actorId,
    request_id: row.requestId,
    data: row.data,
    at: row.at,
    prev_hash: prevHash,
    hash: auditHash(prevHash, row),
  };
}

/** An INSERT of one row made by `auditRecord` (as JSON), alone or in a CTE of the change's write. */
export function insertAuditSql(recordJson: string) {
  return insertAuditRowsSql(`[${recordJson}]`);
}

/** insertAuditSql for rows made by `auditRecord`, as one JSON array. */
export function insertAuditRowsSql(recordsJson: string) {
  return sql`INSERT INTO audit_log
      (entity_type, entity_id, seq, action, actor_type, actor_id, request_id, data, at,
       prev_hash, hash)
    SELECT r.entity_type, r.entity_id, r.seq, r.action, r.actor_type, r.actor_id, r.request_id,
      r.data, r.at, r.prev_hash, r.hash
    FROM json_populate_recordset(null::audit_log, ${recordsJson}::json) AS r`;
}

function chainKey(entry: AuditEntry): string {
  return `${entry.entityType}\u0000${entry.entityId}`;
}
