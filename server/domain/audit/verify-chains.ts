import { sqlPoolOf, type Db } from '../../db/client';
import { auditHash, type AuditRowContent } from './audit-hash';

// The first pass of `audit:verify`: every entity's chain, in (entity, seq) order a page at a
// time, each row's hash recomputed from its content and prev_hash, seq continuity checked.

export type ChainProblem =
  | { kind: 'edited'; entityType: string; entityId: string; seq: number; id: bigint }
  | {
      kind: 'inserted';
      entityType: string;
      entityId: string;
      seq: number;
      id: bigint;
      reason: 'duplicate-seq' | 'prev-hash';
    }
  | { kind: 'deleted'; entityType: string; entityId: string; fromSeq: number; toSeq: number };

interface ChainRow extends AuditRowContent {
  id: bigint;
  prevHash: string | null;
  hash: string;
}

const PAGE = 20_000;
const COLUMNS = `id::text, entity_type AS "entityType", entity_id AS "entityId", seq, action,
  actor_type::text AS "actorType", actor_id AS "actorId", request_id AS "requestId", data, at,
  prev_hash AS "prevHash", hash`;

type RawRow = Omit<ChainRow, 'id'> & { id: string };

// Read through node-postgres itself rather than Prisma, whose per-row mapping cost more than
// the hashing; and the next page is asked for before this one is checked, so that PostgreSQL
// reads while Node hashes. This pass is the bulk of `audit:verify`.
async function* rowsByChain(db: Db): AsyncGenerator<ChainRow> {
  const pool = sqlPoolOf(db);
  if (!pool) throw new Error('audit:verify needs a client made by createPrisma');
  const pageAfter = (last: RawRow | undefined) =>
    last
      ? pool.query<RawRow>(
          `SELECT ${COLUMNS} FROM audit_log
           WHERE (entity_type, entity_id, seq) > ($1, $2, $3)
           ORDER BY entity_type, entity_id, seq LIMIT ${PAGE}`,
          [last.entityType, last.entityId, last.seq],
        )
      : pool.query<RawRow>(
          `SELECT ${COLUMNS} FROM audit_log ORDER BY entity_type, entity_id, seq LIMIT ${PAGE}`,
        );
  let page = await pageAfter(undefined);
  for (;;) {
    const { rows } = page;
    const next = rows.length < PAGE ? null : pageAfter(rows[rows.length - 1]);
    // A page left unread when the caller stops early must not surface as an unhandled rejection.
    next?.catch(() => undefined);
    for (const row of rows) yield { ...row, id: BigInt(row.id) };
    if (!next) return;
    page = await next;
  }
}

/** What is wrong with one row, given the row before it in the same chain (undefined at seq 1). */
function checkRow(row: ChainRow, before: ChainRow | undefined): ChainProblem[] {
  const where = { entityType: row.entityType, entityId: row.entityId };
  const expected = (before?.seq ?? 0) + 1;
  if (row.seq < expected) {
    return [{ kind: 'inserted', ...where, seq: row.seq, id: row.id, reason: 'duplicate-seq' }];
  }
  if (auditHash(row.prevHash, row) !== row.hash) {
    return [{ kind: 'edited', ...where, seq: row.seq, id: row.id }];
  }
  // A missing row also breaks the next row's link; the gap is the finding, not the link.
  if (row.seq > expected) {
    return [{ kind: 'deleted', ...where, fromSeq: expected, toSeq: row.seq - 1 }];
  }
  if (row.prevHash !== (before?.hash ?? null)) {
    return [{ kind: 'inserted', ...where, seq: row.seq, id: row.id, reason: 'prev-hash' }];
  }

  return [];
}

export interface ChainSummary {
  rows: number;
  entities: number;
}

/** Walks every chain, reporting each problem as it is found. */
export async function verifyChains(
  db: Db,
  report: (problem: ChainProblem) => void,
): Promise<ChainSummary> {
  let before: ChainRow | undefined;
  let rows = 0;
  let entities = 0;
  for await (const row of rowsByChain(db)) {
    const sameChain = before?.entityType === row.entityType && before.entityId === row.entityId;
    if (!sameChain) entities++;
    checkRow(row, sameChain ? before : undefined).forEach(report);
    rows++;
    before = row;
  }

  return { rows, entities };
}
