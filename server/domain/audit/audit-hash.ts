import { createHash } from 'node:crypto';
import type { ActorType } from '../../db/generated/enums';
import { canonicalJson } from './canonical-json';

// The hash chain of one entity's audit rows: each row's hash covers the previous row's hash and
// the row itself, so an edited, removed or reordered row breaks every hash after it.

export interface AuditRowContent {
  entityType: string;
  entityId: string;
  seq: number;
  action: string;
  actorType: ActorType;
  actorId: string | null;
  requestId: string | null;
  data: unknown;
  at: Date;
}

export function auditHash(prevHash: string | null, row: AuditRowContent): string {
  // Only the content fields, named one by one: a row read back also has its id and hashes.
  const content: AuditRowContent = {
    entityType: row.entityType,
    entityId: row.entityId,
    seq: row.seq,
    action: row.action,
    actorType: row.actorType,
    actorId: row.actorId,
    requestId: row.requestId,
    data: row.data,
    at: row.at,
  };

  return createHash('sha256')
    .update((prevHash ?? '') + canonicalJson(content))
    .digest('hex');
}

/** The seq of the first row whose hash or link does not hold, or null for an intact chain. */
export function firstBrokenLink(
  rows: readonly (AuditRowContent & { prevHash: string | null; hash: string })[],
): number | null {
  let prev: string | null = null;
  for (const [index, row] of rows.entries()) {
    if (row.seq !== index + 1 || row.prevHash !== prev || auditHash(prev, row) !== row.hash) {
      return row.seq;
    }
    prev = row.hash;
  }

  return null;
}
