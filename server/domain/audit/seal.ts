import { createHash } from 'node:crypto';
import type { Db, Tx } from '../../db/client';
import { canonicalJson } from './canonical-json';

// What a checkpoint seals: a running hash over every audit row in id order,
//   root(0) = "", root(row) = sha256(root(previous row) | id | entity | seq | hash),
// carried from one checkpoint to the next, so checkpoint k's root covers every row up to its
// sealed_through_id. Each row's hash already covers its content and its chain link, so a row
// edited and re-hashed, inserted, deleted or cut off below a checkpoint changes that root; the
// per-entity chains then say which row. A running hash rather than a hash over chain heads
// because a checkpoint then reads only the rows written since the last one.

export const GENESIS_ROOT = '';

export interface SealedRow {
  id: bigint;
  entityType: string;
  entityId: string;
  seq: number;
  hash: string;
}

export function foldRow(root: string, row: SealedRow): string {
  return createHash('sha256')
    .update(`${root}|${row.id}|${row.entityType}|${row.entityId}|${row.seq}|${row.hash}`)
    .digest('hex');
}

export interface CheckpointClaim {
  sealedThroughId: bigint;
  /** Distinct entities among the rows this checkpoint adds to the sealed history. */
  entityCount: number;
  rootHash: string;
  keyId: string;
  createdAt: Date;
}

/** The text a checkpoint's signature covers. */
export function checkpointMessage(claim: CheckpointClaim): string {
  return canonicalJson({
    v: 1,
    sealedThroughId: claim.sealedThroughId,
    entityCount: claim.entityCount,
    rootHash: claim.rootHash,
    keyId: claim.keyId,
    createdAt: claim.createdAt,
  });
}

const PAGE = 5_000;
const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** The rows with after < id <= through, in id order, a page at a time. */
export async function* rowsById(
  db: Db | Tx,
  after: bigint,
  through: bigint | null,
): AsyncGenerator<SealedRow> {
  let cursor = after;
  // A plain range, no "IS NULL OR": a generic plan over that would not bound the index scan.
  const last = through ?? MAX_BIGINT;
  for (;;) {
    const page = await db.$queryRaw<SealedRow[]>`
      SELECT id, entity_type AS "entityType", entity_id AS "entityId", seq, hash
      FROM audit_log
      WHERE id > ${cursor}::bigint AND id <= ${last}::bigint
      ORDER BY id
      LIMIT ${PAGE}`;
    yield* page;
    if (page.length < PAGE) return;
    cursor = page[page.length - 1]!.id;
  }
}

/** Folds rows into a root (at most `limit` of them), counting the distinct entities among them. */
export async function foldRange(
  rows: AsyncIterable<SealedRow>,
  root: string,
  limit = Number.POSITIVE_INFINITY,
): Promise<{ root: string; entityCount: number; lastId: bigint | null }> {
  const entities = new Set<string>();
  let lastId: bigint | null = null;
  let folded = 0;
  for await (const row of rows) {
    root = foldRow(root, row);
    entities.add(`${row.entityType}\u0000${row.entityId}`);
    lastId = row.id;
    if (++folded >= limit) break;
  }

  return { root, entityCount: entities.size, lastId };
}
