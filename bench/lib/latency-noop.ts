import type { TaskList } from 'graphile-worker';
import pg from 'pg';

import type { Db } from '../../server/db/client';
import { createTaskList } from '../../server/jobs/tasks';
import { dbNowMs } from './latency-load';
import { startRunner } from './latency-runner';
import type { Stoppable } from './setup';

// The baseline: the queue's own round trip for a job whose task does nothing, on the same
// database and machine, through a runner configured as the product's worker (latency-runner).
// Its task list is the product's plus the no-op, so get_job is asked for the same tasks and one.

export const NOOP_TASK = 'bench_noop';

export interface NoopRunner extends Stoppable {
  /** Job id -> completion (result written back), on the database clock, epoch ms. */
  completedAt: Map<string, number>;
}

/** Node's clock minus the database's, from the sample with the shortest round trip. */
export async function clockOffsetMs(pool: pg.Pool, samples = 7): Promise<number> {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < samples; i += 1) {
    const t0 = Date.now();
    const db = await dbNowMs(pool);
    const t1 = Date.now();
    if (t1 - t0 < best.rtt) best = { rtt: t1 - t0, offset: (t0 + t1) / 2 - db };
  }

  return best.offset;
}

export async function startNoopRunner(
  url: string,
  db: Db,
  concurrency: number,
  nodeMinusDbMs: number,
): Promise<NoopRunner> {
  const taskList: TaskList = { ...createTaskList(db), [NOOP_TASK]: async () => undefined };
  const { runner, stop } = await startRunner(url, taskList, concurrency);
  const completedAt = new Map<string, number>();
  runner.events.on('job:complete', ({ job, error }) => {
    if (job.task_identifier === NOOP_TASK && !error) {
      completedAt.set(String(job.id), Date.now() - nodeMinusDbMs);
    }
  });

  return { completedAt, stop };
}

export interface NoopBatches {
  /** Job id -> created_at (set by add_jobs: the start of its transaction), epoch ms. */
  createdAt: Map<string, number>;
  /** Job id -> database clock right after add_jobs returned (committed). */
  seenAt: Map<string, number>;
}

/** A batch sender for the paced loop: `count` no-op jobs in one add_jobs call, as intake does. */
export function noopSender(pool: pg.Pool) {
  const out: NoopBatches = { createdAt: new Map(), seenAt: new Map() };
  const send = async (_from: number, count: number) => {
    const specs = Array.from({ length: count }, () => ({ identifier: NOOP_TASK, payload: {} }));
    const { rows } = await pool.query<{ id: string; created: number }>(
      `SELECT id::text, extract(epoch FROM created_at)::float8 * 1000 AS created
       FROM graphile_worker.add_jobs(array(
         SELECT json_populate_record(null::graphile_worker.job_spec, spec)
         FROM json_array_elements($1::json) AS spec))`,
      [JSON.stringify(specs)],
    );
    const seen = await dbNowMs(pool);
    for (const row of rows) {
      out.createdAt.set(row.id, row.created);
      out.seenAt.set(row.id, seen);
    }
  };

  return { send, out };
}
