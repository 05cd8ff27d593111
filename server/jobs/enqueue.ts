import type { Tx } from '../db/client';

// Jobs are enqueued with graphile-worker's SQL API inside the caller's transaction: a change and
// the work it causes commit together, or neither does.

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
  await tx.$executeRaw`SELECT graphile_worker.add_job(
    ${task}::text,
    ${JSON.stringify(payload)}::json,
    run_at := ${opts.runAt ?? null}::timestamptz,
    max_attempts := ${opts.maxAttempts ?? 10}::int,
    job_key := ${opts.jobKey ?? null}::text,
    priority := ${opts.priority ?? 0}::int
  )`;
}

export interface JobSpec {
  task: string;
  payload: unknown;
  jobKey?: string;
  maxAttempts?: number;
  runAt?: Date;
  /** Lower runs first (graphile-worker's order); 0 when unset. */
  priority?: number;
}

/**
 * Many jobs in a single call of graphile-worker's `add_jobs` (set-based: a batch of a thousand
 * events costs one statement, not one per shipment). A pending job with the same key is
 * replaced, as with `add_job`; a running one is left to finish and a new one is added.
 */
export async function enqueueJobs(tx: Tx, jobs: JobSpec[]): Promise<void> {
  if (jobs.length === 0) return;
  const specs = jobs.map(jobSpecRecord);
  await tx.$executeRaw`SELECT graphile_worker.add_jobs(
      array(SELECT json_populate_record(null::graphile_worker.job_spec, spec)
            FROM json_array_elements(${JSON.stringify(specs)}::json) AS spec))`;
}

/** A job as graphile-worker's `job_spec` reads it (json_populate_record), for SQL of one's own. */
export function jobSpecRecord(job: JobSpec) {
  return {
    identifier: job.task,
    payload: job.payload,
    max_attempts: job.maxAttempts ?? 10,
    job_key: job.jobKey ?? null,
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
