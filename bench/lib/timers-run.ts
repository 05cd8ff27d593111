import pg from 'pg';
import { createPrisma, type Db } from '../../server/db/client';
import {
  createOrg,
  oneMinuteFirstResponse,
  openExceptionsInBulk,
  type Org,
} from '../../tests/exceptions/org-fixture';
import { startWorkerProcess, waitForWorkers } from './latency-setup';
import { fireLog, type FireSummary } from './timers-fires';

// One burst of real SLA timers: `count` CRITICAL exceptions over `sites` sites (round-the-clock
// calendars), opened one business minute before the same moment, so that every first-response
// level is due then. A worker process with the product's
// settings (`npm run worker`: the queue, its sweep jobs and its timer alarm) fires them. A level
// counts as fired when its escalation row is committed: a trigger of the bench's own notifies
// the bench on commit, and the lateness is the moment the notice arrives less the due moment.
// Twice would be a second notice for one level, or a second audit entry of its escalation.

/** As in scripts/worker.ts; the bench says so if the product's settings change. */
export const PRODUCT_CONCURRENCY = 4;

export interface BurstOptions {
  count: number;
  sites: number;
  /** The due moment lies this far after the start; setup must be done 2 s before it. */
  leadMs: number;
  /** Give up waiting this long after the due moment. */
  timeoutMs: number;
  /** Keep the worker running this long after the last firing, to catch a second one. */
  settleMs: number;
  concurrency: number;
}

export interface BurstResult extends FireSummary {
  setupMs: number;
  /** Notifications and e-mail jobs the firing wrote, one of each per level fired. */
  notifications: number;
  auditEntries: number;
  nextTimers: number;
}

const CHANNEL = 'bench_timer_fired';

async function installProbe(pool: pg.Pool): Promise<void> {
  await pool.query(`
    CREATE FUNCTION bench_timer_fired() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('${CHANNEL}', NEW.exception_id || ':' || NEW.level);
      RETURN NEW;
    END $$;
    CREATE TRIGGER bench_timer_fired AFTER INSERT ON exception_escalations
      FOR EACH ROW EXECUTE FUNCTION bench_timer_fired();`);
}

/** The burst's exceptions, shared out among the sites, written in bulk with their timers. */
async function openBurst(db: Db, orgs: Org[], count: number, openedAt: Date): Promise<void> {
  for (const [i, org] of orgs.entries()) {
    const mine = Math.ceil(count / orgs.length);
    const n = Math.max(0, Math.min(mine, count - i * mine));
    await openExceptionsInBulk(db, org, n, openedAt);
  }
}

async function waitFor(done: () => boolean, until: number): Promise<void> {
  while (!done() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
}

export async function timerBurst(url: string, opts: BurstOptions): Promise<BurstResult> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', () => undefined);
  const db = createPrisma(url, 8);
  const listener = new pg.Client({ connectionString: url });
  const worker = startWorkerProcess(url, opts.concurrency);
  try {
    await installProbe(pool);
    // One business minute to the first response, for every exception of the burst.
    await oneMinuteFirstResponse(db, 30);
    const orgs: Org[] = [];
    for (let i = 0; i < opts.sites; i += 1) {
      orgs.push(await createOrg(db, { alwaysOpen: true, timeZone: 'America/Chicago' }));
    }
    await waitForWorkers(pool, 1);

    const log = fireLog(opts.count);
    await listener.connect();
    await listener.query(`LISTEN ${CHANNEL}`);
    const start = Date.now();
    // A whole second, as a minute target from a whole-minute opening would be.
    const dueAt = Math.ceil((start + opts.leadMs) / 1000) * 1000;
    listener.on('notification', (msg) => log.record(msg.payload ?? '', dueAt));
    await openBurst(db, orgs, opts.count, new Date(dueAt - 60_000));
    const setupMs = Date.now() - start;
    if (Date.now() > dueAt - 2_000) {
      throw new Error(`setup took ${setupMs} ms, past the lead of ${opts.leadMs} ms: raise it`);
    }
    await waitFor(() => log.fired() >= opts.count, dueAt + opts.timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, opts.settleMs));

    const effects = await sideEffects(pool, log);

    return { ...log.summary(), setupMs, ...effects };
  } finally {
    await listener.end().catch(() => undefined);
    await worker.stop();
    await db.$disconnect();
    await pool.end();
  }
}

/** What the firing wrote, and the audit entries beyond one per level (a level fired twice). */
async function sideEffects(pool: pg.Pool, log: ReturnType<typeof fireLog>) {
  const { rows } = await pool.query<{
    notifications: number;
    audits: number;
    extra: number;
    timers: number;
  }>(`
    SELECT
      (SELECT count(*)::int FROM notifications WHERE kind = 'EXCEPTION_ESCALATED') AS notifications,
      (SELECT count(*)::int FROM audit_log WHERE action = 'exception.escalated') AS audits,
      (SELECT coalesce(sum(n - 1), 0)::int FROM (
         SELECT count(*) AS n FROM audit_log WHERE action = 'exception.escalated'
         GROUP BY entity_id, data->>'level') AS per_level) AS extra,
      (SELECT count(*)::int FROM sla_timers WHERE level = 2) AS timers`);
  const r = rows[0]!;
  log.addDuplicates(r.extra);

  return { notifications: r.notifications, auditEntries: r.audits, nextTimers: r.timers };
}
