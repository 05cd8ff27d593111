import type { Db, Tx } from '../../db/client';
import { logger } from '../../lib/logger';
import { calendarWatch, type CalendarWatch } from './calendar';
import { lockException } from './clock';
import { CalendarChanged, fireDueLevels } from './fire';
import { lockWatch, type LockWatch } from './lock-watch';
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
// visible before its commit. It gives way to whatever comes before the moment: a change of one
// of its exceptions (acknowledged, resolved, re-timed) that waits on its row lock rolls the
// chunk back (lock-watch.ts), so that the change is recorded at once, as of its own time, and
// moves or cancels the timer; a change of a calendar it planned with, committed before the
// moment, rolls it back too (fire.ts). Either way the lane claims again: what is still due
// fires, a moment later if the moment has passed, and never before it.

const log = logger('sla-sweep');

const CHUNK = 500;
const PARALLEL = 2;
const RETRY_FAILED_MS = 60_000;
/** After giving way, a lane lets the waiter take its lock before it claims again. */
const GIVE_WAY_MS = 20;

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
  /** Set when chunks wait for their moment: they give way to what comes before it. */
  ahead?: { locks: LockWatch; calendars: CalendarWatch };
  onPrepared?: (exceptions: number, ms: number) => void;
}

/** A chunk rolled back before its moment for a change that came first; not a failure. */
class GaveWay extends Error {}

export async function sweepDueTimers(db: Db, opts: SweepOptions = {}): Promise<SweepOutcome> {
  const clock: ChunkClock = {
    horizon: () => opts.now ?? new Date(),
    firesAt: (horizon) => horizon,
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
  const locks = lockWatch(db);
  const clock: ChunkClock = {
    horizon: () => horizon,
    firesAt: (_, latestDue) => new Date(Math.max(latestDue.getTime(), Date.now())),
    ahead: { locks, calendars: calendarWatch() },
    onPrepared: opts.onPrepared,
  };
  try {
    return await inLanes(db, clock, opts.chunkSize ?? CHUNK, opts.parallel ?? PARALLEL);
  } finally {
    locks.stop();
  }
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

/**
 * Resolves once the wall clock has reached `at` (a timeout alone may end a millisecond early),
 * or sooner when `interrupt` resolves.
 */
async function untilClockReaches(at: Date, interrupt?: Promise<void>): Promise<void> {
  let timeout: NodeJS.Timeout | undefined;
  let interrupted = false;
  void interrupt?.then(() => {
    interrupted = true;
    clearTimeout(timeout);
  });
  while (Date.now() < at.getTime() && !interrupted) {
    await Promise.race([
      new Promise((resolve) => {
        timeout = setTimeout(resolve, Math.max(1, at.getTime() - Date.now()));
      }),
      interrupt,
    ]);
  }
  clearTimeout(timeout);
}

/** One chunk: claimed, fired as of its moment (waiting for it, if ahead), committed. */
async function fireChunk(
  db: Db,
  clock: ChunkClock,
  horizon: Date,
  limit: number,
  claimed: { ids: string[]; firesAt: Date },
): Promise<number> {
  return db.$transaction(
    async (tx) => {
      const started = Date.now();
      const batch = await claimDue(tx, horizon, limit);
      claimed.ids = batch.ids;
      if (batch.ids.length === 0) return 0;
      const firesAt = clock.firesAt(horizon, batch.latestDue);
      claimed.firesAt = firesAt;
      const watched = clock.ahead ? clock.ahead.locks.watch(await backendPid(tx)) : null;
      try {
        const outcomes = await fireDueLevels(tx, batch.ids, firesAt, {
          calendars: clock.ahead?.calendars,
          atDueMoment: async () => {
            clock.onPrepared?.(batch.ids.length, Date.now() - started);
            if (!watched) return;
            await untilClockReaches(firesAt, watched.inTheWay);
            if (watched.isInTheWay()) throw new GaveWay('a change waits for a prepared chunk');
          },
        });

        return [...outcomes.values()].reduce((n, o) => n + o.fired.length, 0);
      } finally {
        watched?.done();
      }
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

async function backendPid(tx: Tx): Promise<number> {
  const [row] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;

  return row!.pid;
}

async function drain(db: Db, clock: ChunkClock, limit: number, total: SweepOutcome) {
  for (;;) {
    const horizon = clock.horizon();
    const claimed = { ids: [] as string[], firesAt: horizon };
    try {
      const levels = await fireChunk(db, clock, horizon, limit, claimed);
      if (claimed.ids.length === 0) return;
      total.exceptions += claimed.ids.length;
      total.levels += levels;
    } catch (error) {
      if (error instanceof GaveWay || error instanceof CalendarChanged) {
        log.debug({ reason: error.message }, 'prepared chunk rolled back; claiming again');
        await new Promise((resolve) => setTimeout(resolve, GIVE_WAY_MS));
        continue;
      }
      if (claimed.ids.length === 0) throw error;
      log.warn(
        { err: error, exceptions: claimed.ids.length },
        'chunk failed; firing one at a time',
      );
      await fireOneByOne(db, claimed.ids, claimed.firesAt, total, clock.ahead !== undefined);
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
