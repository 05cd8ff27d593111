import type { JobHelpers } from 'graphile-worker';
import type pg from 'pg';
import type { Db } from '../../server/db/client';

/** Pending graphile-worker jobs under `key` (single jobs: `<task>:<id>`). */
export async function jobsWithKey(db: Db, key: string): Promise<{ task: string }[]> {
  return db.$queryRaw<{ task: string }[]>`
    SELECT task_identifier AS task FROM graphile_worker.jobs WHERE key = ${key}`;
}

/**
 * The items pending for `task`, in the order they were added: the items of its batch jobs
 * (array payloads, jobs/batch-jobs.ts) and the payloads of its single jobs.
 */
export async function queuedItems<P = Record<string, unknown>>(db: Db, task: string): Promise<P[]> {
  const rows = await db.$queryRaw<{ payload: unknown }[]>`
    SELECT j.payload FROM graphile_worker._private_jobs j
    JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE t.identifier = ${task} ORDER BY j.id`;

  return rows.flatMap((r) => (Array.isArray(r.payload) ? r.payload : [r.payload])) as P[];
}

/** Resolves once `client`'s backend waits on a lock (for tests that stage a lock conflict). */
export async function waitForLockWait(db: Db, client: pg.Client): Promise<void> {
  const pid = (client as unknown as { processID: number }).processID;
  for (let i = 0; i < 300; i += 1) {
    const [row] = await db.$queryRaw<{ waiting: boolean }[]>`
      SELECT wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE pid = ${pid}`;
    if (row?.waiting) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`backend ${pid} never waited on a lock`);
}

/** What graphile-worker hands a batch job's task, its logger's messages kept in `logged`. */
export function batchHelpers(logged: string[], priority = 10, maxAttempts = 8): JobHelpers {
  return {
    job: { id: 'batch', attempts: 1, max_attempts: maxAttempts, priority },
    logger: {
      error: (message: string) => logged.push(message),
      warn: (message: string) => logged.push(message),
    },
  } as unknown as JobHelpers;
}
