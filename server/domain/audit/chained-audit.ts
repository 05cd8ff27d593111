import { auditRecord, type AuditEntry } from './write-audit';

export { insertAuditSql } from './write-audit';

// An audit row written inside the change's own statement instead of by writeAudit's three round
// trips, for the hot paths (the gate's decision, slotting, billing). The writer takes the
// entity's audit lock (with the transaction id, taken before the row's id, as checkpoint.ts
// needs) and reads the head of its chain (audit_chain_head) in a read it makes anyway (the
// apply's state read, slotting_read, billing_read); the row is hashed here and inserted beside its change. The same
// chain, lock key and order as writeAudit (write-audit.ts), only fewer round trips.

export interface AuditHead {
  seq: number;
  hash: string | null;
}

/** The row after `head`, hashed into the chain, as JSON for `insertAuditSql`. */
export function chainedAuditRow(head: AuditHead | null, entry: AuditEntry): string {
  return JSON.stringify(auditRecord(head, entry, new Date()));
}
