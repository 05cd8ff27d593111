import type { KeyObject } from 'node:crypto';
import type { Db } from '../../db/client';
import {
  checkpointMessage,
  digestRange,
  foldRowsV1,
  GENESIS_ROOT,
  nextRoot,
  SEAL_VERSION,
  type SealVersion,
} from './seal';
import { verifyMessage } from './signing-key';

// The second pass of `audit:verify`: each checkpoint's range of rows hashed again (one statement
// per checkpoint, see seal.ts) and folded into the running root, compared with the root it
// signed. A mismatch is judged within
// its own range only: the next range starts from the checkpoint's claimed root, so one bad range
// does not make every later checkpoint fail too.

export type SealProblem =
  | {
      kind: 'bad-signature';
      checkpointId: bigint;
      keyId: string;
      reason: 'unknown-key' | 'invalid';
    }
  | { kind: 'seal-mismatch'; checkpointId: bigint; afterId: bigint; throughId: bigint }
  | { kind: 'tail-cut'; checkpointId: bigint; sealedThroughId: bigint; lastId: bigint | null };

interface CheckpointRow {
  id: bigint;
  sealedThroughId: bigint;
  entityCount: number;
  rootHash: string;
  signature: string;
  keyId: string;
  createdAt: Date;
}

export interface SealSummary {
  checkpoints: number;
  last: { id: bigint; createdAt: Date; sealedThroughId: bigint } | null;
  unsealedRows: number;
}

const PAGE = 1_000;

async function* checkpoints(db: Db): AsyncGenerator<CheckpointRow> {
  let after: { sealedThroughId: bigint; id: bigint } = { sealedThroughId: -1n, id: -1n };
  for (;;) {
    const page = await db.auditCheckpoint.findMany({
      where: {
        OR: [
          { sealedThroughId: { gt: after.sealedThroughId } },
          { sealedThroughId: after.sealedThroughId, id: { gt: after.id } },
        ],
      },
      orderBy: [{ sealedThroughId: 'asc' }, { id: 'asc' }],
      take: PAGE,
    });
    yield* page;
    if (page.length < PAGE) return;
    after = page[page.length - 1]!;
  }
}

/**
 * The scheme a checkpoint was sealed under, told by the message its signature verifies: a v1
 * signature does not verify as v2. Null when it verifies as neither (reported as a problem).
 */
function checkSignature(
  c: CheckpointRow,
  keys: ReadonlyMap<string, KeyObject>,
  report: (problem: SealProblem) => void,
): SealVersion | null {
  const key = keys.get(c.keyId);
  const problem = { kind: 'bad-signature', checkpointId: c.id, keyId: c.keyId } as const;
  if (!key) {
    report({ ...problem, reason: 'unknown-key' });

    return null;
  }
  if (verifyMessage(key, checkpointMessage(c, SEAL_VERSION), c.signature)) return SEAL_VERSION;
  if (verifyMessage(key, checkpointMessage(c, 1), c.signature)) return 1;
  report({ ...problem, reason: 'invalid' });

  return null;
}

/** The root and entity count of one checkpoint's range, recomputed under its scheme. */
async function recompute(
  db: Db,
  version: SealVersion,
  root: string,
  after: bigint,
  c: CheckpointRow,
) {
  if (version === 1) return foldRowsV1(db, root, after, c.sealedThroughId);
  const range = await digestRange(db, after, c.sealedThroughId);

  return {
    root: range.digest === null ? root : nextRoot(root, range.digest),
    entityCount: range.entityCount,
    lastId: range.lastId,
  };
}

/** Checks every checkpoint's signature and root, reporting each problem as it is found. */
export async function verifySeals(
  db: Db,
  keys: ReadonlyMap<string, KeyObject>,
  report: (problem: SealProblem) => void,
): Promise<SealSummary> {
  let root = GENESIS_ROOT;
  let after = 0n;
  let count = 0;
  let last: SealSummary['last'] = null;
  for await (const c of checkpoints(db)) {
    const version = checkSignature(c, keys, report) ?? SEAL_VERSION;
    const fold = await recompute(db, version, root, after, c);
    const sound = fold.root === c.rootHash && fold.entityCount === c.entityCount;
    // A checkpoint seals through a row that existed: without it, the rows up to it were cut off.
    if (!sound && fold.lastId !== c.sealedThroughId) {
      const lastId = fold.lastId ?? (after > 0n ? after : null);
      report({ kind: 'tail-cut', checkpointId: c.id, sealedThroughId: c.sealedThroughId, lastId });
    } else if (!sound) {
      report({
        kind: 'seal-mismatch',
        checkpointId: c.id,
        afterId: after,
        throughId: c.sealedThroughId,
      });
    }
    root = c.rootHash;
    after = c.sealedThroughId;
    last = { id: c.id, createdAt: c.createdAt, sealedThroughId: c.sealedThroughId };
    count++;
  }
  const unsealedRows = await db.auditLog.count({ where: { id: { gt: after } } });

  return { checkpoints: count, last, unsealedRows };
}
