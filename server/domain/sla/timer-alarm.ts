import pg from 'pg';
import type { Db } from '../../db/client';
import { logger } from '../../lib/logger';
import { TIMER_CHANNEL } from './schedule';
import { sweepAndSettle } from './sweep';

// The worker's alarm clock for SLA timers: a local timeout set to the earliest due timer, so a
// sweep starts at the due moment itself rather than at the queue's next poll. It learns of new
// timers from the notice setTimers sends on commit (LISTEN on a connection of its own), and
// re-reads the earliest due time every REFRESH_MS in case a notice was missed (a dropped
// connection). It holds nothing durable: the sweep job of each due second is the backstop, and
// any number of workers may run an alarm (their sweeps share the due timers, SKIP LOCKED).

const log = logger('sla-alarm');

const REFRESH_MS = 15_000;
/** The longest a timeout is set for; the alarm then looks again. */
const MAX_SLEEP_MS = 60_000;
/** How soon to look again when due timers are left that another sweep holds. */
const BUSY_RETRY_MS = 250;
const RECONNECT_MS = 1_000;

export interface TimerAlarm {
  stop(): Promise<void>;
}

export async function startTimerAlarm(connectionString: string, db: Db): Promise<TimerAlarm> {
  let stopped = false;
  let wakeAt: number | null = null;
  let timeout: NodeJS.Timeout | null = null;
  let sweeping: Promise<void> | null = null;
  let listener: pg.Client | null = null;

  const wakeBy = (at: number) => {
    if (stopped || (wakeAt !== null && wakeAt <= at)) return;
    if (timeout) clearTimeout(timeout);
    wakeAt = at;
    const delay = Math.min(MAX_SLEEP_MS, Math.max(0, at - Date.now()));
    timeout = setTimeout(() => void ring(), delay);
  };

  const refresh = async (notBefore = 0) => {
    const [row] = await db.$queryRaw<{ at: Date | null }[]>`
      SELECT min(due_at) AS at FROM sla_timers`;
    const at = row?.at?.getTime();
    if (at !== undefined) wakeBy(Math.max(at, notBefore));
  };

  const ring = async () => {
    if (wakeAt !== null) log.debug({ lateMs: Date.now() - wakeAt }, 'woke');
    wakeAt = null;
    timeout = null;
    if (stopped || sweeping) return;
    sweeping = (async () => {
      try {
        const outcome = await sweepAndSettle(db);
        if (outcome.exceptions > 0) log.debug({ ...outcome, at: new Date() }, 'swept');
        await refresh(outcome.left ? Date.now() + BUSY_RETRY_MS : 0);
      } catch (error) {
        log.warn({ err: error }, 'sweep failed; the sweep job will retry');
        wakeBy(Date.now() + RECONNECT_MS);
      }
    })();
    await sweeping;
    sweeping = null;
  };

  const listen = async () => {
    const client = new pg.Client({ connectionString });
    client.on('notification', (msg) => {
      const at = Number(msg.payload);
      if (Number.isFinite(at)) wakeBy(at);
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
    },
  };
}
