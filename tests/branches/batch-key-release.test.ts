import { runOnce, type Task } from 'graphile-worker';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrisma } from '../../server/db/client';
import { batchSpec } from '../../server/jobs/batch-jobs';
import { enqueueJobs } from '../../server/jobs/enqueue';
import { queueLogger } from '../../server/jobs/queue-logger';

// A batch job (jobs/batch-jobs.ts) that is running when another item is added under its shard's
// key. add_jobs, left to itself, releases the running job's key and, as graphile-worker does for
// a replaced job, sets its attempts to max_attempts: harmless for a keyed single job (the new
// job carries the same work), but a batch would lose its retries, and its items with them, if
// it failed (its hand-off failing, tasks.ts `batched`) or its worker died. enqueue_jobs releases
// a running batch's key itself and leaves its attempts alone.

const url = process.env.DATABASE_URL!;
const db = createPrisma(url);
afterAll(() => db.$disconnect());

const probe = (name: string) => `${name}_${Date.now()}_${Math.random().toString(36).slice(2, 6)}`;
// Items of one shard (the shard of a key is its hash: the probe names the shard's key itself).
const specOf = (task: string) => (id: string) => ({
  ...batchSpec(task, { key: `${task}:${id}`, payload: { id } }, { maxAttempts: 8 }),
  jobKey: `${task}#0`,
});

interface JobRow {
  id: string;
  payload: { id: string }[];
  attempts: number;
  max_attempts: number;
  locked_at: Date | null;
}

async function jobsOf(task: string): Promise<JobRow[]> {
  return db.$queryRaw<JobRow[]>`
    SELECT j.id::text AS id, j.payload, j.attempts, j.max_attempts, j.locked_at
    FROM graphile_worker._private_jobs j
    JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE t.identifier = ${task} ORDER BY j.id`;
}

/** The jobs holding item `id` that graphile-worker will still run (now or after backoff). */
const runnableWith = (jobs: JobRow[], id: string) =>
  jobs.filter((j) => j.payload.some((p) => p.id === id) && j.attempts < j.max_attempts);

describe('a batch job whose shard receives an item while it runs', () => {
  // The batch of `first` runs; an event for another shipment is recorded meanwhile (`second`),
  // and the batch then fails, as `batched` does when its hand-off cannot be enqueued.
  async function failWith(secondKey: (task: string) => string) {
    const task = probe('release_probe');
    const spec = specOf(task);
    await db.$transaction((tx) => enqueueJobs(tx, [spec('first')]));
    const runs: string[] = [];
    const handler: Task = async (payload) => {
      const ids = (payload as { id: string }[]).map((p) => p.id);
      runs.push(...ids);
      if (ids.includes('first')) {
        await db.$transaction((tx) =>
          enqueueJobs(tx, [{ ...spec('second'), jobKey: secondKey(task) }]),
        );
        throw new Error('hand-off failed');
      }
    };
    await runOnce({
      connectionString: url,
      taskList: { [task]: handler },
      concurrency: 1,
      logger: queueLogger,
    });
    expect(runs).toEqual(['first', 'second']);

    // graphile-worker retries the failed batch (after its backoff) only while it has attempts left.
    return runnableWith(await jobsOf(task), 'first');
  }

  it('(control) keeps its retries when it fails, when the new item is of another shard', async () => {
    expect(await failWith((task) => `${task}#1`)).toHaveLength(1);
  });

  it('keeps its retries when it fails, when the new item is of its own shard', async () => {
    expect(await failWith((task) => `${task}#0`)).toHaveLength(1);
  });

  // A worker takes the batch as getJob does and dies with it; graphile-worker's resetLockedAt
  // frees a lock older than 4 hours, and the batch runs again. `second` is enqueued meanwhile.
  async function crashWith(secondKey: (task: string) => string) {
    const task = probe('crash_probe');
    const spec = specOf(task);
    await db.$transaction((tx) => enqueueJobs(tx, [spec('first')]));
    await db.$executeRaw`
      UPDATE graphile_worker._private_jobs SET locked_at = now() - interval '5 hours',
        locked_by = 'dead-worker', attempts = attempts + 1
      WHERE key = ${spec('first').jobKey!}`;
    await db.$transaction((tx) =>
      enqueueJobs(tx, [{ ...spec('second'), jobKey: secondKey(task) }]),
    );
    // What graphile-worker's resetLockedAt does for a lock older than 4 hours.
    await db.$executeRaw`
      UPDATE graphile_worker._private_jobs SET locked_at = NULL, locked_by = NULL,
        run_at = greatest(run_at, now())
      WHERE locked_at < now() - interval '4 hours'`;
    const runs: string[] = [];
    const handler: Task = async (payload) => {
      runs.push(...(payload as { id: string }[]).map((p) => p.id));
    };
    await runOnce({
      connectionString: url,
      taskList: { [task]: handler },
      concurrency: 1,
      logger: queueLogger,
    });

    return runs.sort();
  }

  it('(control) is run again after its worker died, when the new item is of another shard', async () => {
    expect(await crashWith((task) => `${task}#1`)).toEqual(['first', 'second']);
  });

  it('is run again after its worker died, when the new item is of its own shard', async () => {
    expect(await crashWith((task) => `${task}#0`)).toEqual(['first', 'second']);
  });
});
