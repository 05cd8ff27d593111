import type { Db, Tx } from '../../db/client';
import { logger } from '../../lib/logger';
import { lockException } from './clock';
import { fireDueLevels } from './fire';
import { armSweeps, postponeTimer, SWEEP_TASK } from './schedule';

// The sweep: claims due timers a chunk at a time in one statement (FOR UPDATE SKIP LOCKED on the
// exceptions, so that two sweeps, in one worker or in two, never take the same exception) and
// fires each chunk set-based in the claiming transaction. A crash rolls the chunk back whole:
// nothing of it fired, and the next sweep claims it again. A chunk that fails is fired again
// one exception at a time, and an exception that still fails has its timer put off, so that one
// bad row never holds up every other timer; the failure is logged and retried.

const log = logger('sla-sweep');

const CHUNK = 500;
const PARALLEL = 2;
const RETRY_FAILED_MS = 60_000;

export interface SweepOptions {
  /** Fire what is due by this moment; by default the clock's, read for each chunk. */
  now?: Date;
  chunkSize?: number;
  /** Chunks fired at once, each in its own transaction. */
  parallel?: number;
}

export interface SweepOutcome {
  exceptions: number;
  levels: number;
  failed: number;
}

export async function sweepDueTimers(db: Db, opts: SweepOptions = {}): Promise<SweepOutcome> {
  const total: SweepOutcome = { exceptions: 0, levels: 0, failed: 0 };
  const lanes = Math.max(1, opts.parallel ?? PARALLEL);
  await Promise.all(Array.from({ length: lanes }, () => drain(db, opts, total)));

  return total;
}

/** Whether a timer is due by `now` that no sweep has taken (one another sweep holds, say). */
export async function dueTimersLeft(db: Db, now: Date = new Date()): Promise<boolean> {
  const [row] = await db.$queryRaw<{ left: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM sla_timers WHERE due_at <= ${now.toISOString()}::timestamptz)
      AS left`;

  return row?.left ?? false;
}

async function claimDue(tx: Tx, now: Date, limit: number): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT t.exception_id AS id
    FROM sla_timers AS t JOIN exceptions AS e ON e.id = t.exception_id
    WHERE t.due_at <= ${now.toISOString()}::timestamptz
    ORDER BY t.due_at
    LIMIT ${limit}
    FOR UPDATE OF e SKIP LOCKED`;

  return rows.map((r) => r.id);
}

async function drain(db: Db, opts: SweepOptions, total: SweepOutcome): Promise<void> {
  const limit = opts.chunkSize ?? CHUNK;
  for (;;) {
    const now = opts.now ?? new Date();
    let claimed: string[] = [];
    try {
      const levels = await db.$transaction(
        async (tx) => {
          claimed = await claimDue(tx, now, limit);
          const outcomes = await fireDueLevels(tx, claimed, now);

          return [...outcomes.values()].reduce((n, o) => n + o.fired.length, 0);
        },
        { timeout: 60_000, maxWait: 10_000 },
      );
      if (claimed.length === 0) return;
      total.exceptions += claimed.length;
      total.levels += levels;
    } catch (error) {
      if (claimed.length === 0) throw error;
      log.warn({ err: error, exceptions: claimed.length }, 'chunk failed; firing one at a time');
      await fireOneByOne(db, claimed, now, total);
    }
  }
}

async function fireOneByOne(db: Db, ids: readonly string[], now: Date, total: SweepOutcome) {
  for (const id of ids) {
    try {
      const outcome = await db.$transaction(async (tx) => {
        await lockException(tx, id);

        return (await fireDueLevels(tx, [id], now)).get(id);
      });
      total.exceptions += 1;
      total.levels += outcome?.fired.length ?? 0;
    } catch (error) {
      total.failed += 1;
      const retryAt = new Date(Date.now() + RETRY_FAILED_MS);
      log.error({ err: error, exceptionId: id, retryAt }, 'escalation failed; timer put off');
      await db.$transaction((tx) => postponeTimer(tx, id, retryAt));
    }
  }
}

/**
 * A sweep, then its clean-up: the sweep jobs due by its start have nothing left to do and are
 * completed, unless a worker runs them already. Then, with a fresh look, whether due timers are
 * left (held by another sweep, or set by a transaction that committed meanwhile, whose job may
 * have been among those completed): the caller sweeps again soon if so.
 */
export async function sweepAndSettle(db: Db): Promise<SweepOutcome & { left: boolean }> {
  const start = new Date();
  const outcome = await sweepDueTimers(db);
  await db.$executeRaw`SELECT graphile_worker.complete_jobs(array(
    SELECT id FROM graphile_worker.jobs
    WHERE task_identifier = ${SWEEP_TASK} AND run_at <= ${start.toISOString()}::timestamptz
      AND locked_at IS NULL))`;

  return { ...outcome, left: await dueTimersLeft(db) };
}

/** A sweep job at `at`, for due timers a sweep could not take this time. */
export async function sweepAgainAt(db: Db, at: Date): Promise<void> {
  await db.$transaction((tx) => armSweeps(tx, [at]));
}
