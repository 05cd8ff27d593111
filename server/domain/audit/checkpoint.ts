import type { Db } from '../../db/client';
import { logger } from '../../lib/logger';
import { checkpointMessage, foldRange, GENESIS_ROOT, rowsById, type CheckpointClaim } from './seal';
import { signMessage, type SigningKey } from './signing-key';

// A checkpoint seals the audit rows written since the last one (see seal.ts for what its root
// covers) and signs the result with a key the database does not hold.
//
// Ids come from a sequence, so rows commit out of id order: a transaction that took id 41 may
// commit after one that took 42. Sealing through 42 while 41 is in flight would leave 41 outside
// every checkpoint's root forever. So we read the sequence first, then the snapshot's xmax, and
// seal through that sequence value only once every transaction older than that xmax is over
// (pg_snapshot_xmin has passed it). writeAudit takes its transaction id before its row's id, so
// any row with an id at or below the value read belongs to one of those older transactions.
// Transaction ids are cluster-wide: a session left idle in a transaction anywhere on the server
// holds sealing back (each round waits settleMs, then leaves its rows to the next round).

const log = logger('audit-checkpoint');
export const CHECKPOINT_TASK = 'audit_checkpoint';
const SETTLE_POLL_MS = 50;
// A backlog (the first checkpoint over an existing log) is sealed a slice per round, so that one
// round stays well inside its transaction's time limit; the next minute's round goes on from it.
const MAX_ROWS_PER_ROUND = 100_000;

export interface CheckpointOptions {
  /** How long to wait for transactions in flight to end before giving up on this round. */
  settleMs?: number;
  /** The most rows one round seals; the rest wait for the next round. */
  maxRows?: number;
}

export type CheckpointResult = CheckpointClaim & { id: bigint };

async function sequenceValue(db: Db): Promise<bigint> {
  const [row] = await db.$queryRaw<{ last: bigint }[]>`
    SELECT CASE WHEN is_called THEN last_value ELSE 0 END::bigint AS last FROM audit_log_id_seq`;

  return row!.last;
}

async function snapshotBound(db: Db, which: 'xmin' | 'xmax'): Promise<bigint> {
  const [row] =
    which === 'xmin'
      ? await db.$queryRaw<
          { x: string }[]
        >`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS x`
      : await db.$queryRaw<
          { x: string }[]
        >`SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS x`;

  return BigInt(row!.x);
}

/** The highest id no transaction in flight can still commit below, or null if none settled. */
export async function sealableThrough(db: Db, settleMs: number): Promise<bigint | null> {
  const through = await sequenceValue(db);
  const horizon = await snapshotBound(db, 'xmax');
  const until = Date.now() + settleMs;
  while ((await snapshotBound(db, 'xmin')) < horizon) {
    if (Date.now() >= until) return null;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
  }

  return through;
}

/** Seals the rows written since the last checkpoint; null when there was nothing to seal. */
export async function createCheckpoint(
  db: Db,
  key: SigningKey,
  opts: CheckpointOptions = {},
): Promise<CheckpointResult | null> {
  const through = await sealableThrough(db, opts.settleMs ?? 5_000);
  if (through === null) {
    log.warn('a transaction older than the checkpoint is still in flight; sealing next round');

    return null;
  }

  return db.$transaction(
    async (tx) => {
      // One checkpoint at a time (the cron of several workers, a shutdown): each extends the last.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('audit:checkpoint', 0))`;
      const last = await tx.auditCheckpoint.findFirst({ orderBy: { sealedThroughId: 'desc' } });
      const after = last?.sealedThroughId ?? 0n;
      if (through <= after) return null;
      const fold = await foldRange(
        rowsById(tx, after, through),
        last?.rootHash ?? GENESIS_ROOT,
        opts.maxRows ?? MAX_ROWS_PER_ROUND,
      );
      // Only ids of rolled-back rows: nothing new to seal.
      if (fold.lastId === null) return null;
      const claim: CheckpointClaim = {
        sealedThroughId: fold.lastId,
        entityCount: fold.entityCount,
        rootHash: fold.root,
        keyId: key.keyId,
        createdAt: new Date(),
      };
      const signature = signMessage(key, checkpointMessage(claim));
      const { id } = await tx.auditCheckpoint.create({ data: { ...claim, signature } });
      log.info({ id, sealedThroughId: claim.sealedThroughId }, 'audit checkpoint sealed');

      return { ...claim, id };
    },
    { timeout: 120_000 },
  );
}
