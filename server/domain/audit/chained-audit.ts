import type { Tx } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import { auditHash, type AuditRowContent } from './audit-hash';
import { toJsonValue } from './canonical-json';
import type { AuditEntry } from './write-audit';

// An audit row written inside the change's own statement instead of by writeAudit's three round
// trips, for the hot paths (the gate's decision, slotting, billing). The writer takes the
// entity's audit lock (with the transaction id, taken before the row's id, as checkpoint.ts
// needs) and reads the head of its chain, in a read of its own or one it makes anyway
// (slotting_read, billing_read); the row is hashed here and inserted beside its change. The same
// chain, lock key and order as writeAudit (write-audit.ts), only fewer round trips.

export interface AuditHead {
  seq: number;
  hash: string | null;
}

/** The entity's audit chain locked until commit, and its last row. */
export async function lockAuditChain(
  tx: Tx,
  entityType: string,
  entityId: string,
): Promise<AuditHead> {
  const [row] = await tx.$queryRaw<{ seq: number; hash: string }[]>`
    SELECT head_seq AS seq, head_hash AS hash FROM audit_chain_head(${entityType}, ${entityId})`;

  return { seq: row?.seq ?? 0, hash: row?.hash ?? null };
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

/** An INSERT of one row made by `chainedAuditRow`, to stand in a CTE of the change's write. */
export function insertAuditSql(rowJson: string) {
  return Prisma.sql`INSERT INTO audit_log
      (entity_type, entity_id, seq, action, actor_type, actor_id, request_id, data, at,
       prev_hash, hash)
    SELECT r.entity_type, r.entity_id, r.seq, r.action, r.actor_type, r.actor_id, r.request_id,
      r.data, r.at, r.prev_hash, r.hash
    FROM json_populate_record(null::audit_log, ${rowJson}::json) AS r`;
}
