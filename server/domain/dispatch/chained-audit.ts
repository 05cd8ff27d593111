import { Prisma } from '../../db/generated/client';
import { auditHash, type AuditRowContent } from '../audit/audit-hash';
import { toJsonValue } from '../audit/canonical-json';
import type { AuditEntry } from '../audit/write-audit';

// An audit row of the branch jobs (slotting, billing) written inside the job's own write
// statement instead of in three of its own: the job takes the entity's audit lock (with the
// transaction id, taken before the row's id, as checkpoint.ts needs) and reads the head of its
// chain after it, in the read it makes anyway (slotting_read, billing_read), hashes the row
// here, and inserts it beside its change. The same chain, lock key and order as writeAudit
// (write-audit.ts), only fewer round trips.

export interface AuditHead {
  seq: number;
  hash: string | null;
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
