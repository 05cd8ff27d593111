import type { Tx } from '../../db/client';
import { auditRecord, type AuditEntry } from './write-audit';

export { insertAuditSql } from './write-audit';

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
  return JSON.stringify(auditRecord(head, entry, new Date()));
}
