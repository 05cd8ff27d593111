import { Prisma } from '../../db/generated/client';
import { auditHash, type AuditRowContent } from '../audit/audit-hash';
import { toJsonValue } from '../audit/canonical-json';
import type { AuditEntry } from '../audit/write-audit';

// An audit row of the branch jobs (slotting, billing) written inside the job's own write
// statement instead of in three of its own: the job takes the entity's audit lock and reads the
// head of its chain in statements it issues anyway, hashes the row here, and inserts it beside
// its change. The same chain, lock and order as writeAudit (write-audit.ts), only fewer round
// trips: the lock (with the transaction id, taken before the row's id, as checkpoint.ts needs)
// must be taken before the head is read, in an earlier statement of the same transaction.

export interface AuditHead {
  seq: number;
  hash: string | null;
}

/** Select-list items: the entity's audit lock and the transaction id, in that order. */
export function auditLockSql(entityType: string, entityId: string) {
  const key = `audit:${entityType}:${entityId}`;

  // Cast to text: a query whose answer is read cannot carry void or xid8 columns.
  return Prisma.sql`pg_advisory_xact_lock(hashtextextended(${key}, 0))::text AS audit_lock,
    pg_current_xact_id()::text AS audit_xact`;
}

/** A scalar subquery: the head of the entity's chain as JSON, or null for a new chain. */
export function auditHeadSql(entityType: string, entityId: string) {
  return Prisma.sql`(SELECT json_build_object('seq', a.seq, 'hash', a.hash) FROM audit_log a
    WHERE a.entity_type = ${entityType} AND a.entity_id = ${entityId}
    ORDER BY a.seq DESC LIMIT 1)`;
}

/** The row after `head`, hashed into the chain, as JSON for `insertAuditSql`. */
export function chainedAuditRow(head: AuditHead | null, entry: AuditEntry): string {
  const row: AuditRowContent = {
    entityType: entry.entityType,
    entityId: entry.entityId,
    seq: (head?.seq ?? 0) + 1,
    action: entry.action,
    actorType: entry.actor.type,
    actorId: entry.actor.id,
    requestId: entry.requestId ?? null,
    data: entry.data === undefined ? null : toJsonValue(entry.data),
    at: new Date(),
  };
  const prevHash = head?.hash ?? null;

  return JSON.stringify({
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
  });
}

/** An INSERT of one row made by `chainedAuditRow`, to stand in a CTE of the job's write. */
export function insertAuditSql(rowJson: string) {
  return Prisma.sql`INSERT INTO audit_log
      (entity_type, entity_id, seq, action, actor_type, actor_id, request_id, data, at,
       prev_hash, hash)
    SELECT r.entity_type, r.entity_id, r.seq, r.action, r.actor_type, r.actor_id, r.request_id,
      r.data, r.at, r.prev_hash, r.hash
    FROM json_populate_record(null::audit_log, ${rowJson}::json) AS r`;
}
