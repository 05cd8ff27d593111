import type { Db } from '../../db/client';
import { logger } from '../../lib/logger';
import {
  checkpointMessage,
  digestRange,
  GENESIS_ROOT,
  nextRoot,
  SEAL_VERSION,
  type CheckpointClaim,
} from './seal';
import { signMessage, type SigningKey } from './signing-key';

// A checkpoint seals the audit rows written since the last one (see seal.ts for what its root
// covers) and signs the result with a key the database does not hold.
//
// Ids come from a sequence, so rows commit out of id order: a transaction that took id 41 may
// commit after one that took 42. Sealing through 42 while 41 is in flight would leave 41 outside
// every checkpoint's root forever. So we read the sequence first, then take a transaction id of
// our own in a statement that commits at once, and seal through that sequence value only once
// no transaction of this database with a lower id is still running. Writers take their
// transaction id before their row's id (writeAudit, writeAudits, intake's statement after its
// event insert), so any row at or below the value read belongs to one of those.
// Not the snapshot's xmax instead of an id of our own: xmax is one past the latest *completed*
// transaction, and a writer whose id is above it would count as not yet started, unseen.
// A session of this database left idle in a transaction holds sealing back (each round waits
// settleMs, then leaves its rows to the next round).

const log = logger('audit-checkpoint');
export const CHECKPOINT_TASK = 'audit_checkpoint';
const SETTLE_POLL_MS = 50;
// One checkpoint seals at most this many rows, in one statement of some 0.4 s; a round makes as
// many as its rows need. Small enough for the statement's text to stay in memory (~15 MB).
const MAX_ROWS_PER_CHECKPOINT = 100_000;
// A round (the minute's cron job) stops starting checkpoints after this long, so that rounds
// do not pile up behind a backlog; the next one goes on from where it stopped.
const ROUND_BUDGET_MS = 45_000;

export interface CheckpointOptions {
  /** How long to wait for transactions in flight to end before giving up on this round. */
  settleMs?: number;
  /** The most rows one checkpoint seals; the rest go into the next one. */
  maxRows?: number;
}

export interface RoundOptions extends CheckpointOptions {
  /** How long a round may go on starting checkpoints before it leaves the rest to the next. */
  budgetMs?: number;
}

export type CheckpointResult = CheckpointClaim & { id: bigint };

async function sequenceValue(db: Db): Promise<bigint> {
  const [row] = await db.$queryRaw<{ last: bigint }[]>`
    SELECT CASE WHEN is_called THEN last_value ELSE 0 END::bigint AS last FROM audit_log_id_seq`;

  return row!.last;
}

/** A transaction id taken and committed now: any transaction that took one before is lower. */
async function committedXactId(db: Db): Promise<bigint> {
  const [row] = await db.$queryRaw<{ x: string }[]>`SELECT pg_current_xact_id()::text AS x`;

  return BigInt(row!.x);
}

/**
 * Whether a transaction of this database with an id at or below `horizon` is still running (or
 * prepared). Only this database's: a writer elsewhere on the server cannot add audit rows here,
 * so a session idle in a transaction in another database does not hold sealing back.
 * pg_stat_activity shows every backend's database and transaction id to any role; its ids are
 * 32-bit, compared the way PostgreSQL does (modulo 2^32, within 2^31 of one another).
 */
async function olderStillRunning(db: Db, horizon: bigint): Promise<boolean> {
  const [row] = await db.$queryRaw<{ running: boolean }[]>`
    WITH older AS (
      SELECT backend_xid AS x FROM pg_stat_activity
      WHERE datname = current_database() AND backend_xid IS NOT NULL
      UNION ALL
      SELECT transaction FROM pg_prepared_xacts WHERE database = current_database()
    )
    SELECT EXISTS (
      SELECT 1 FROM older
      WHERE ((${horizon}::bigint % 4294967296) - x::text::bigint + 4294967296) % 4294967296
            < 2147483648
    ) AS running`;

  return row!.running;
}

/** The highest id no transaction in flight can still commit below, or null if none settled. */
export async function sealableThrough(db: Db, settleMs: number): Promise<bigint | null> {
  const through = await sequenceValue(db);
  const horizon = await committedXactId(db);
  const until = Date.now() + settleMs;
  while (await olderStillRunning(db, horizon)) {
    if (Date.now() >= until) return null;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
  }

  return through;
}

/**
 * One checkpoint over the rows after the last one, up to `through` (at most maxRows of them);
 * null when there was nothing to seal. `through` must be settled (see sealableThrough).
 */
async function sealChunk(
  db: Db,
  key: SigningKey,
  through: bigint,
  maxRows: number,
): Promise<CheckpointResult | null> {
  return db.$transaction(
    async (tx) => {
      // One checkpoint at a time (the cron of several workers, a shutdown): each extends the last.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('audit:checkpoint', 0))`;
      const last = await tx.auditCheckpoint.findFirst({ orderBy: { sealedThroughId: 'desc' } });
      const after = last?.sealedThroughId ?? 0n;
      if (through <= after) return null;
      const range = await digestRange(tx, after, through, maxRows);
      // Only ids of rolled-back rows: nothing new to seal.
      if (range.lastId === null || range.digest === null) return null;
      const claim: CheckpointClaim = {
        sealedThroughId: range.lastId,
        entityCount: range.entityCount,
        rootHash: nextRoot(last?.rootHash ?? GENESIS_ROOT, range.digest),
        keyId: key.keyId,
        createdAt: new Date(),
      };
      const signature = signMessage(key, checkpointMessage(claim, SEAL_VERSION));
      const { id } = await tx.auditCheckpoint.create({ data: { ...claim, signature } });
      log.debug({ id, sealedThroughId: claim.sealedThroughId, rows: range.rows }, 'sealed');

      return { ...claim, id };
    },
    { timeout: 60_000 },
  );
}

/** Seals the rows written since the last checkpoint, at most maxRows; null when none. */
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

  return sealChunk(db, key, through, opts.maxRows ?? MAX_ROWS_PER_CHECKPOINT);
}

export interface RoundResult {
  checkpoints: number;
  /** Where sealed history reaches after the round; null when nothing is sealed yet. */
  sealedThroughId: bigint | null;
  /** False when the round settled nothing or ran out of its budget with rows left. */
  caughtUp: boolean;
}

/**
 * A sealing round: every row settled when it starts, in checkpoints of at most maxRows, until
 * done or its budget is spent. What the minute's cron job and a worker's shutdown run.
 */
export async function sealAuditLog(
  db: Db,
  key: SigningKey,
  opts: RoundOptions = {},
): Promise<RoundResult> {
  const until = Date.now() + (opts.budgetMs ?? ROUND_BUDGET_MS);
  const through = await sealableThrough(db, opts.settleMs ?? 5_000);
  if (through === null) {
    log.warn('a transaction older than the checkpoint is still in flight; sealing next round');
  }
  let checkpoints = 0;
  let last: CheckpointResult | null = null;
  let caughtUp = through !== null;
  while (through !== null) {
    if (Date.now() >= until) {
      caughtUp = false;
      break;
    }
    const made = await sealChunk(db, key, through, opts.maxRows ?? MAX_ROWS_PER_CHECKPOINT);
    if (!made) break;
    last = made;
    checkpoints++;
  }
  const sealedThroughId = last?.sealedThroughId ?? (await lastSealedId(db));
  if (checkpoints > 0) log.info({ checkpoints, sealedThroughId }, 'audit log sealed');

  return { checkpoints, sealedThroughId, caughtUp };
}

async function lastSealedId(db: Db): Promise<bigint | null> {
  const last = await db.auditCheckpoint.findFirst({
    orderBy: { sealedThroughId: 'desc' },
    select: { sealedThroughId: true },
  });

  return last?.sealedThroughId ?? null;
}
