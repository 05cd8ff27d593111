import type { Tx } from '../db/client';
import { mergeBatches } from './batch-jobs';

// Jobs are enqueued with graphile-worker's SQL API inside the caller's transaction: a change and
// the work it causes commit together, or neither does. A job whose key may already be pending
// goes through enqueue_jobs (in the migrations), which adds again a keyed job that
// graphile-worker's add_jobs left out because a worker took the pending job of its key just then.

export interface JobOptions {
  /** A pending job with the same key is replaced (debounce), not duplicated. */
  jobKey?: string;
  runAt?: Date;
  maxAttempts?: number;
  priority?: number;
}

export async function enqueue(
  tx: Tx,
  task: string,
  payload: unknown,
  opts: JobOptions = {},
): Promise<void> {
  await enqueueJobs(tx, [{ task, payload, ...opts }]);
}

export interface JobSpec {
  task: string;
  payload: unknown;
  jobKey?: string;
  /** graphile-worker's named queue: its jobs run one at a time, in order. */
  queueName?: string;
  maxAttempts?: number;
  runAt?: Date;
  /** Lower runs first (graphile-worker's order); 0 when unset. */
  priority?: number;
}

/**
 * Many jobs in one statement (set-based: a batch of a thousand events costs one statement, not
 * one per shipment). A pending job with the same key is replaced, or for batch jobs (array
 * payloads) extended; a running one is left to finish and a new one is added.
 */
export async function enqueueJobs(tx: Tx, jobs: JobSpec[]): Promise<void> {
  if (jobs.length === 0) return;
  await tx.$executeRaw`SELECT enqueue_jobs(${jobSpecsJson(jobs)}::json)`;
}

/** `jobs` as enqueue_jobs takes them, for SQL of one's own: batches of one key merged. */
export function jobSpecsJson(jobs: readonly JobSpec[]): string {
  return JSON.stringify(mergeBatches(jobs).map(jobSpecRecord));
}

/** A job as graphile-worker's `job_spec` reads it (json_populate_record), for SQL of one's own. */
export function jobSpecRecord(job: JobSpec) {
  return {
    identifier: job.task,
    payload: job.payload,
    max_attempts: job.maxAttempts ?? 10,
    job_key: job.jobKey ?? null,
    queue_name: job.queueName ?? null,
    run_at: job.runAt?.toISOString() ?? null,
    priority: job.priority ?? 0,
  };
}

/** One job of `task` per payload, in one statement. */
export async function enqueueMany(
  tx: Tx,
  task: string,
  items: { payload: unknown; jobKey?: string }[],
  maxAttempts = 10,
): Promise<void> {
  await enqueueJobs(
    tx,
    items.map((i) => ({ task, payload: i.payload, jobKey: i.jobKey, maxAttempts })),
  );
}

/** Which of `keys` name a job waiting to run (not taken by a worker). */
export async function pendingJobKeys(tx: Tx, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await tx.$queryRaw<{ key: string }[]>`
    SELECT key FROM graphile_worker._private_jobs
    WHERE key = ANY(${[...keys]}::text[]) AND locked_at IS NULL`;

  return new Set(rows.map((r) => r.key));
}
