import { run, type Runner, type TaskList } from 'graphile-worker';

import { createPrisma } from '../../server/db/client';
import { APPLY_TASK } from '../../server/domain/shipments/apply-job';
import { queueLogger } from '../../server/jobs/queue-logger';
import { createTaskList } from '../../server/jobs/tasks';
import { QUEUE_POLL_INTERVAL_MS, queuePool } from '../../server/jobs/worker';
import type { Stoppable } from './setup';

// graphile-worker runners of the bench's own, configured as server/jobs/worker.ts configures
// the product's (its pool and its settings, poll interval, LISTEN/NOTIFY), for task lists the
// product's startWorker does not take: the no-op baseline's, and the apply-only diagnostic's.

export async function startRunner(
  url: string,
  taskList: TaskList,
  concurrency: number,
): Promise<{ runner: Runner } & Stoppable> {
  const pool = queuePool(url, concurrency + 2);
  pool.on('error', () => undefined);
  const runner = await run({
    pgPool: pool,
    taskList,
    concurrency,
    pollInterval: QUEUE_POLL_INTERVAL_MS,
    noHandleSignals: true,
    logger: queueLogger,
  });

  return {
    runner,
    stop: async () => {
      await runner.stop();
      await pool.end();
    },
  };
}

/**
 * Diagnostic (`--apply-only`): a worker that takes apply jobs only, so that the branch jobs a
 * READY decision starts wait in the queue instead of sharing the worker with the next decisions.
 */
export async function startApplyOnlyWorker(url: string, concurrency: number): Promise<Stoppable> {
  const db = createPrisma(url, concurrency + 2);
  const taskList = { [APPLY_TASK]: createTaskList(db)[APPLY_TASK]! };
  const worker = await startRunner(url, taskList, concurrency);

  return {
    stop: async () => {
      await worker.stop();
      await db.$disconnect();
    },
  };
}
