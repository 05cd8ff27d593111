import type { Tx } from '../../db/client';
import { sql } from '../../db/generated/internal/prismaNamespace';
import { auditHash, type AuditRowContent } from '../audit/audit-hash';
import { toJsonValue } from '../audit/canonical-json';

// The decision's audit row, written by the decision's own statement rather than by writeAudit's
// three: the shipment's chain is locked and its head read (one round trip, before the customer's
// credit lock), and the row, chained to that head, is inserted with the decision. The chain is
// the one writeAudit appends to, under the same lock key, so the two never race.

export interface ChainHead {
  entityId: string;
  seq: number;
  hash: string | null;
}

const ENTITY = 'Shipment';

/** The shipment's audit chain locked until commit, and its last row. */
export async function lockShipmentChain(tx: Tx, shipmentId: string): Promise<ChainHead> {
  const [row] = await tx.$queryRaw<{ seq: number; hash: string }[]>`
    SELECT head_seq AS seq, head_hash AS hash FROM audit_chain_head(${ENTITY}, ${shipmentId})`;

  return { entityId: shipmentId, seq: row?.seq ?? 0, hash: row?.hash ?? null };
}

/** The INSERT of the row that follows `head`, by the system, for a statement's WITH list. */
export function chainedAuditInsert(head: ChainHead, action: string, data: unknown) {
  const row: AuditRowContent = {
    entityType: ENTITY,
    entityId: head.entityId,
    seq: head.seq + 1,
    action,
    actorType: 'SYSTEM',
    actorId: null,
    requestId: null,
    data: toJsonValue(data),
    at: new Date(),
  };
  const hash = auditHash(head.hash, row);

  return sql`INSERT INTO audit_log
      (entity_type, entity_id, seq, action, actor_type, actor_id, request_id, data, at,
       prev_hash, hash)
    VALUES (${row.entityType}, ${row.entityId}, ${row.seq}::int, ${row.action}, 'SYSTEM', NULL,
      NULL, ${JSON.stringify(row.data)}::jsonb, ${row.at}::timestamptz, ${head.hash}::text,
      ${hash})`;
}
