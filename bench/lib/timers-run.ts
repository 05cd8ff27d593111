import { run, type Runner, type Task } from 'graphile-worker';
import pg from 'pg';
import { queueLogger } from '../../server/jobs/queue-logger';
import { fireLog, type FireSummary } from './timers-fires';

// One burst of timers: `count` jobs of a task of the bench's own, each under a key of its own and
// all due at the same moment `leadMs` ahead, run by a worker with the product's settings
// (server/jobs/worker.ts: concurrency 4, poll interval 500 ms). The task only notes its firing.

export const BENCH_TASK = 'bench_timer';
/** As in startWorker; the bench says so if the product's settings change. */
export const PRODUCT_CONCURRENCY = 4;
export const PRODUCT_POLL_MS = 500;

export interface BurstOptions {
  count: number;
  leadMs: number;
  /** Give up waiting this long after the due moment. */
  timeoutMs: number;
  /** Keep the worker running this long after the last firing, to catch a second one. */
  settleMs: number;
  concurrency: number;
  pollMs: number;
}

/** One add_jobs call, every spec with the same run_at, as a set of escalation timers would be. */
async function enqueueBurst(url: string, count: number, dueAt: Date): Promise<void> {
  const specs = Array.from({ length: count }, (_, i) => ({
    identifier: BENCH_TASK,
    payload: { dueAt: dueAt.getTime() },
    run_at: dueAt.toISOString(),
    job_key: `${BENCH_TASK}:${i}`,
    max_attempts: 1,
  }));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `SELECT graphile_worker.add_jobs(
         array(SELECT json_populate_record(null::graphile_worker.job_spec, spec)
               FROM json_array_elements($1::json) AS spec))`,
      [JSON.stringify(specs)],
    );
  } finally {
    await client.end();
  }
}

async function waitFor(done: () => boolean, until: number): Promise<void> {
  while (!done() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
}

export async function timerBurst(url: string, opts: BurstOptions): Promise<FireSummary> {
  const log = fireLog(opts.count);
  const task: Task = (payload, helpers) => {
    log.record(helpers.job.key ?? String(helpers.job.id), (payload as { dueAt: number }).dueAt);
  };
  const pool = new pg.Pool({ connectionString: url, max: opts.concurrency + 2 });
  // The database server stops after the burst; a dropped idle client must not crash the bench.
  pool.on('error', () => undefined);
  const runner: Runner = await run({
    pgPool: pool,
    taskList: { [BENCH_TASK]: task },
    concurrency: opts.concurrency,
    pollInterval: opts.pollMs,
    noHandleSignals: true,
    logger: queueLogger,
  });
  try {
    const dueAt = new Date(Date.now() + opts.leadMs);
    await enqueueBurst(url, opts.count, dueAt);
    await waitFor(() => log.fired() >= opts.count, dueAt.getTime() + opts.timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, opts.settleMs));
  } finally {
    await runner.stop();
    await pool.end();
  }

  return log.summary();
}
