import { createHash } from 'node:crypto';
import type { Db, Tx } from '../../db/client';
import { canonicalJson } from './canonical-json';

// What a checkpoint seals: the audit rows after the previous checkpoint's sealed_through_id, up
// to and including its own, as one digest computed by PostgreSQL over the whole range at once:
//   line(row) = id SP seq SP hash SP bytes(entity_type) SP entity_type SP bytes(entity_id) SP
//               entity_id LF
//   digest    = sha256(line(row) for every row in the range, in id order, concatenated)
//   root(k)   = sha256(root(k-1) "|" digest(k)), root(0) = ""
// carried from one checkpoint to the next, so checkpoint k's root covers every row up to its
// sealed_through_id. The entity fields carry their length in bytes, so no text can move from one
// field or row into another. Each row's hash already covers its content and its chain link, so a
// row edited and re-hashed, inserted, deleted or cut off below a checkpoint changes that root;
// the per-entity chains then say which row. One statement hashes a range, so sealing costs
// PostgreSQL about a microsecond per row and Node nothing per row.
//
// Checkpoints signed before this scheme (message v1) folded row by row in Node instead:
//   root(row) = sha256(root(previous row) "|" id "|" entity_type "|" entity_id "|" seq "|" hash)
// `audit:verify` still checks them that way (see foldRowsV1); new checkpoints are v2.

export const GENESIS_ROOT = '';
export const SEAL_VERSION = 2;
export type SealVersion = 1 | 2;

export interface CheckpointClaim {
  sealedThroughId: bigint;
  /** Distinct entities among the rows this checkpoint adds to the sealed history. */
  entityCount: number;
  rootHash: string;
  keyId: string;
  createdAt: Date;
}

/** The text a checkpoint's signature covers. */
export function checkpointMessage(claim: CheckpointClaim, version: SealVersion = 2): string {
  return canonicalJson({
    v: version,
    sealedThroughId: claim.sealedThroughId,
    entityCount: claim.entityCount,
    rootHash: claim.rootHash,
    keyId: claim.keyId,
    createdAt: claim.createdAt,
  });
}

export interface RangeDigest {
  rows: number;
  entityCount: number;
  /** The highest id in the range, null when it holds no row. */
  lastId: bigint | null;
  /** sha256 hex over the range's lines, null when it holds no row. */
  digest: string | null;
}

const MAX_BIGINT = 9_223_372_036_854_775_807n;

/**
 * The digest of the rows with after < id <= through (at most `limit`, the lowest ids first), in
 * one statement. A plain id range: the primary key bounds the scan to the rows it covers.
 */
export async function digestRange(
  db: Db | Tx,
  after: bigint,
  through: bigint | null,
  limit: number | null = null,
): Promise<RangeDigest> {
  const [row] = await db.$queryRaw<
    { rows: number; entities: number; lastId: bigint | null; digest: string | null }[]
  >`
    WITH sealed AS MATERIALIZED (
      SELECT id, seq, hash, entity_type, entity_id FROM audit_log
      WHERE id > ${after}::bigint AND id <= ${through ?? MAX_BIGINT}::bigint
      ORDER BY id
      LIMIT ${limit ?? null}::bigint
    )
    SELECT
      count(*)::int AS rows,
      (SELECT count(*) FROM (SELECT DISTINCT entity_type, entity_id FROM sealed) AS e)::int
        AS entities,
      max(id) AS "lastId",
      encode(sha256(convert_to(string_agg(
        id || ' ' || seq || ' ' || hash || ' ' ||
        octet_length(entity_type) || ' ' || entity_type || ' ' ||
        octet_length(entity_id) || ' ' || entity_id || E'\n', '' ORDER BY id), 'UTF8')), 'hex')
        AS digest
    FROM sealed`;

  return { rows: row!.rows, entityCount: row!.entities, lastId: row!.lastId, digest: row!.digest };
}

/** The root after a checkpoint whose range has this digest. */
export function nextRoot(root: string, digest: string): string {
  return createHash('sha256').update(`${root}|${digest}`).digest('hex');
}

const PAGE = 5_000;

interface SealedRowV1 {
  id: bigint;
  entityType: string;
  entityId: string;
  seq: number;
  hash: string;
}

/** A v1 checkpoint's range folded row by row, as it was sealed; same answer as digestRange. */
export async function foldRowsV1(
  db: Db,
  root: string,
  after: bigint,
  through: bigint,
): Promise<{ root: string; entityCount: number; lastId: bigint | null }> {
  const entities = new Set<string>();
  let lastId: bigint | null = null;
  for (let cursor = after; ;) {
    const page = await db.$queryRaw<SealedRowV1[]>`
      SELECT id, entity_type AS "entityType", entity_id AS "entityId", seq, hash
      FROM audit_log WHERE id > ${cursor}::bigint AND id <= ${through}::bigint
      ORDER BY id LIMIT ${PAGE}`;
    for (const r of page) {
      root = createHash('sha256')
        .update(`${root}|${r.id}|${r.entityType}|${r.entityId}|${r.seq}|${r.hash}`)
        .digest('hex');
      entities.add(`${r.entityType}\u0000${r.entityId}`);
      lastId = r.id;
    }
    if (page.length < PAGE) break;
    cursor = page[page.length - 1]!.id;
  }

  return { root, entityCount: entities.size, lastId };
}
