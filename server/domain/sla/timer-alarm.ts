import pg from 'pg';
import { createPrisma, type Db } from '../../db/client';
import { logger } from '../../lib/logger';
import { firingPace, MAX_LEAD_MS } from './firing-pace';
import { TIMER_CHANNEL } from './schedule';
import { sweepAheadAndSettle } from './sweep';

// The worker's alarm clock for SLA timers: a local timeout set ahead of the earliest due timer,
// so that the timers due then commit at that moment rather than at the queue's next poll or a
// sweep's length after it. Some MAX_LEAD_MS before the moment it looks at how many timers are
// due then, and starts a sweep ahead (sweep.ts) as long before it as writing them takes here
// (firing-pace.ts); the sweep waits for the moment before it commits. It learns of new timers
// from the notice setTimers sends on commit (LISTEN on a connection of its own), and re-reads
// the earliest due time every REFRESH_MS in case a notice was missed (a dropped connection). It
// holds nothing durable: the sweep job of each due second is the backstop, and any number of
// workers may run an alarm (their sweeps share the due timers, SKIP LOCKED). Its sweeps have
// connections of their own (LANES + 1, opened when a sweep needs them), so that jobs that hold
// the worker's connections never hold up a firing that waits for its moment, or the reverse.

const log = logger('sla-alarm');

const REFRESH_MS = 15_000;
/** The longest a timeout is set for; the alarm then looks again. */
const MAX_SLEEP_MS = 60_000;
/** How soon to look again when due timers are left that another sweep holds. */
const BUSY_RETRY_MS = 250;
const RECONNECT_MS = 1_000;
/** Timers due this little after the earliest fire with it, at the latest one's moment. */
const GROUP_MS = 50;
/** A start this close is not worth another timeout. */
const START_SLACK_MS = 5;
const LANES = 4;
const MAX_CHUNK = 2_000;

export interface TimerAlarm {
  stop(): Promise<void>;
}

interface NextDue {
  at: number;
  /** Timers due by `at` + GROUP_MS. */
  count: number;
}

async function nextDue(db: Db): Promise<NextDue | null> {
  const [row] = await db.$queryRaw<{ at: Date | null; count: number }[]>`
    SELECT d.at, (SELECT count(*)::int FROM sla_timers
                  WHERE due_at <= d.at + ${GROUP_MS}::int * interval '1 millisecond') AS count
    FROM (SELECT min(due_at) AS at FROM sla_timers) AS d`;

  return row?.at ? { at: row.at.getTime(), count: row.count } : null;
}

export async function startTimerAlarm(connectionString: string, db: Db): Promise<TimerAlarm> {
  let stopped = false;
  /** The due moment the timeout is set for, and when it rings (ahead of it). */
  let planned: { dueAt: number; wakeAt: number } | null = null;
  let timeout: NodeJS.Timeout | null = null;
  let sweeping: Promise<void> | null = null;
  let listener: pg.Client | null = null;
  const pace = firingPace();
  const sweeper = createPrisma(connectionString, LANES + 1);

  const arm = (dueAt: number, wakeAt: number) => {
    if (timeout) clearTimeout(timeout);
    planned = { dueAt, wakeAt };
    const delay = Math.min(MAX_SLEEP_MS, Math.max(0, wakeAt - Date.now()));
    timeout = setTimeout(() => void ring(), delay);
  };

  /** A timer due at `dueAt`: look at it MAX_LEAD_MS ahead, unless one as early is planned. */
  const consider = (dueAt: number, notBefore = 0) => {
    if (stopped || (planned !== null && planned.dueAt <= dueAt)) return;
    arm(dueAt, Math.max(dueAt - MAX_LEAD_MS, notBefore));
  };

  const refresh = async (notBefore = 0) => {
    const [row] = await db.$queryRaw<{ at: Date | null }[]>`
      SELECT min(due_at) AS at FROM sla_timers`;
    const at = row?.at?.getTime();
    if (at !== undefined) consider(at, notBefore);
  };

  /** Sweeps now if the next due moment is within its lead; else sets the timeout for its start. */
  const round = async (): Promise<number> => {
    const next = await nextDue(db);
    if (!next) return 0;
    const lead = pace.leadMs(next.count, LANES);
    const now = Date.now();
    if (next.at - lead > now + START_SLACK_MS) {
      arm(next.at, next.at - lead);

      return -1;
    }
    const horizon = new Date(Math.max(next.at, now) + GROUP_MS);
    const chunkSize = Math.min(MAX_CHUNK, Math.max(1, Math.ceil(next.count / LANES)));
    const outcome = await sweepAheadAndSettle(sweeper, horizon, {
      chunkSize,
      parallel: LANES,
      onPrepared: (n, ms) => pace.observe(n, ms),
    });
    if (outcome.exceptions > 0) log.debug({ ...outcome, lead, at: new Date() }, 'swept');
    // Nothing claimed of what was due: another sweep holds it (and may yet fail).
    const held = outcome.exceptions === 0 && next.count > 0;

    return outcome.left || held ? Date.now() + BUSY_RETRY_MS : 0;
  };

  const ring = async () => {
    if (planned) log.debug({ lateMs: Date.now() - planned.wakeAt }, 'woke');
    planned = null;
    timeout = null;
    if (stopped || sweeping) return;
    sweeping = (async () => {
      try {
        const notBefore = await round();
        if (notBefore >= 0) await refresh(notBefore);
      } catch (error) {
        log.warn({ err: error }, 'sweep failed; the sweep job will retry');
        if (!stopped) arm(Date.now() + RECONNECT_MS, Date.now() + RECONNECT_MS);
      }
    })();
    await sweeping;
    sweeping = null;
  };

  const listen = async () => {
    const client = new pg.Client({ connectionString });
    client.on('notification', (msg) => {
      const at = Number(msg.payload);
      if (Number.isFinite(at)) consider(at);
    });
    client.on('error', (error) => {
      log.warn({ err: error.message }, 'alarm connection lost; reconnecting');
      listener = null;
      client.end().catch(() => undefined);
      if (!stopped) setTimeout(() => void listen().catch(retryListen), RECONNECT_MS);
    });
    await client.connect();
    await client.query(`LISTEN "${TIMER_CHANNEL}"`);
    listener = client;
    // Whatever was set while the alarm was not listening (the poll below retries a failure).
    await refresh().catch(() => undefined);
  };
  const retryListen = (error: unknown) => {
    log.warn({ err: error }, 'alarm could not listen; retrying');
    if (!stopped) setTimeout(() => void listen().catch(retryListen), RECONNECT_MS);
  };

  // A database not reachable yet must not stop the worker from starting: the alarm keeps trying.
  await listen().catch(retryListen);
  const poll = setInterval(() => void refresh().catch(() => undefined), REFRESH_MS);

  return {
    async stop() {
      stopped = true;
      clearInterval(poll);
      if (timeout) clearTimeout(timeout);
      await sweeping;
      await listener?.end().catch(() => undefined);
      await sweeper.$disconnect();
    },
  };
}
