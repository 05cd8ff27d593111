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
//
// The worker's alarm sweeps ahead (sweepAhead): it claims timers due a little later and writes
// their firing as of the moment the chunk's latest timer is due, then waits for that moment on
// the clock before it writes the audit entries and commits. A thousand timers due at once so
// commit at their moment rather than after a thousand levels' writes. Nothing of a chunk is
// visible before its commit, and a change of one of its exceptions meanwhile (acknowledged,
// re-timed) waits on the row lock and comes after the firing, as it would a moment later.

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

export interface AheadOptions {
  chunkSize?: number;
  parallel?: number;
  /** Told, for each chunk, how many exceptions it claimed and how long writing them took. */
  onPrepared?: (exceptions: number, ms: number) => void;
}

export interface SweepOutcome {
  exceptions: number;
  levels: number;
  failed: number;
}

/** When each chunk fires: what it claims, as of which moment, and whether it waits for it. */
interface ChunkClock {
  horizon(): Date;
  firesAt(horizon: Date, latestDue: Date): Date;
  waits: boolean;
  onPrepared?: (exceptions: number, ms: number) => void;
}

export async function sweepDueTimers(db: Db, opts: SweepOptions = {}): Promise<SweepOutcome> {
  const clock: ChunkClock = {
    horizon: () => opts.now ?? new Date(),
    firesAt: (horizon) => horizon,
    waits: false,
  };

  return inLanes(db, clock, opts.chunkSize ?? CHUNK, opts.parallel ?? PARALLEL);
}

/**
 * Fires the timers due by `horizon` (a moment ahead, or past) so that each chunk commits once
 * its latest timer is due, and not before: as of that moment, or of the clock's if later.
 */
export async function sweepAhead(
  db: Db,
  horizon: Date,
  opts: AheadOptions = {},
): Promise<SweepOutcome> {
  const clock: ChunkClock = {
    horizon: () => horizon,
    firesAt: (_, latestDue) => new Date(Math.max(latestDue.getTime(), Date.now())),
    waits: true,
    onPrepared: opts.onPrepared,
  };

  return inLanes(db, clock, opts.chunkSize ?? CHUNK, opts.parallel ?? PARALLEL);
}

async function inLanes(db: Db, clock: ChunkClock, chunkSize: number, parallel: number) {
  const total: SweepOutcome = { exceptions: 0, levels: 0, failed: 0 };
  const lanes = Math.max(1, parallel);
  await Promise.all(Array.from({ length: lanes }, () => drain(db, clock, chunkSize, total)));

  return total;
}

/** Whether a timer is due by `now` that no sweep has taken (one another sweep holds, say). */
export async function dueTimersLeft(db: Db, now: Date = new Date()): Promise<boolean> {
  const [row] = await db.$queryRaw<{ left: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM sla_timers WHERE due_at <= ${now.toISOString()}::timestamptz)
      AS left`;

  return row?.left ?? false;
}

async function claimDue(tx: Tx, horizon: Date, limit: number) {
  const rows = await tx.$queryRaw<{ id: string; dueAt: Date }[]>`
    SELECT t.exception_id AS id, t.due_at AS "dueAt"
    FROM sla_timers AS t JOIN exceptions AS e ON e.id = t.exception_id
    WHERE t.due_at <= ${horizon.toISOString()}::timestamptz
    ORDER BY t.due_at
    LIMIT ${limit}
    FOR UPDATE OF e SKIP LOCKED`;
  const latestDue = new Date(Math.max(0, ...rows.map((r) => r.dueAt.getTime())));

  return { ids: rows.map((r) => r.id), latestDue };
}

/** Resolves once the wall clock has reached `at` (a timeout alone may end a millisecond early). */
async function untilClockReaches(at: Date): Promise<void> {
  while (Date.now() < at.getTime()) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, at.getTime() - Date.now())));
  }
}

async function drain(db: Db, clock: ChunkClock, limit: number, total: SweepOutcome) {
  for (;;) {
    const horizon = clock.horizon();
    let claimed: string[] = [];
    let firesAt = horizon;
    try {
      const levels = await db.$transaction(
        async (tx) => {
          const started = Date.now();
          const batch = await claimDue(tx, horizon, limit);
          claimed = batch.ids;
          if (claimed.length === 0) return 0;
          firesAt = clock.firesAt(horizon, batch.latestDue);
          const outcomes = await fireDueLevels(tx, claimed, firesAt, {
            atDueMoment: async () => {
              clock.onPrepared?.(claimed.length, Date.now() - started);
              if (clock.waits) await untilClockReaches(firesAt);
            },
          });

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
      await fireOneByOne(db, claimed, firesAt, total, clock.waits);
    }
  }
}

async function fireOneByOne(
  db: Db,
  ids: readonly string[],
  now: Date,
  total: SweepOutcome,
  waits: boolean,
) {
  const atDueMoment = waits ? () => untilClockReaches(now) : undefined;
  for (const id of ids) {
    try {
      const outcome = await db.$transaction(async (tx) => {
        await lockException(tx, id);

        return (await fireDueLevels(tx, [id], now, { atDueMoment })).get(id);
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

  return { ...outcome, left: await settle(db, start) };
}

/** sweepAhead, then the same clean-up as sweepAndSettle's. */
export async function sweepAheadAndSettle(
  db: Db,
  horizon: Date,
  opts: AheadOptions = {},
): Promise<SweepOutcome & { left: boolean }> {
  const start = new Date();
  const outcome = await sweepAhead(db, horizon, opts);

  return { ...outcome, left: await settle(db, start) };
}

async function settle(db: Db, start: Date): Promise<boolean> {
  await db.$executeRaw`SELECT graphile_worker.complete_jobs(array(
    SELECT id FROM graphile_worker.jobs
    WHERE task_identifier = ${SWEEP_TASK} AND run_at <= ${start.toISOString()}::timestamptz
      AND locked_at IS NULL))`;

  return dueTimersLeft(db);
}

/** A sweep job at `at`, for due timers a sweep could not take this time. */
export async function sweepAgainAt(db: Db, at: Date): Promise<void> {
  await db.$transaction((tx) => armSweeps(tx, [at]));
}
