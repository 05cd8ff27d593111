import type { Tx } from '../../db/client';
import type { ActorType } from '../../db/generated/enums';
import type { Prisma } from '../../db/generated/client';
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
  const prevHash = last?.hash ?? null;
  const row: AuditRowContent = {
    entityType: entry.entityType,
    entityId: entry.entityId,
    seq: (last?.seq ?? 0) + 1,
    action: entry.action,
    actorType: entry.actor.type,
    actorId: entry.actor.id,
    requestId: entry.requestId ?? null,
    data: entry.data === undefined ? null : toJsonValue(entry.data),
    at: new Date(),
  };
  const hash = auditHash(prevHash, row);

  await tx.auditLog.create({
    data: {
      ...row,
      data: (row.data ?? undefined) as Prisma.InputJsonValue | undefined,
      prevHash,
      hash,
    },
  });

  return { seq: row.seq, hash };
}
