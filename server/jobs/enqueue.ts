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

export async function enqueue(tx: Tx, task: string, payload: unknown, opts: JobOptions = {}): Promise<void> {
  await tx.$executeRaw`SELECT graphile_worker.add_job(
    ${task}::text,
    ${JSON.stringify(payload)}::json,
    run_at := ${opts.runAt ?? null}::timestamptz,
    max_attempts := ${opts.maxAttempts ?? 10}::int,
    job_key := ${opts.jobKey ?? null}::text,
    priority := ${opts.priority ?? 0}::int
  )`;
}

/** One job per payload, set-based, for batch intake. */
export async function enqueueMany(
  tx: Tx,
  task: string,
  items: { payload: unknown; jobKey?: string }[],
  maxAttempts = 10,
): Promise<void> {
  if (items.length === 0) return;
  await tx.$executeRaw`SELECT graphile_worker.add_job(${task}::text, p.payload::json,
      max_attempts := ${maxAttempts}::int, job_key := p.job_key)
    FROM jsonb_to_recordset(${JSON.stringify(items.map((i) => ({ payload: i.payload, job_key: i.jobKey ?? null })))}::jsonb)
      AS p(payload jsonb, job_key text)`;
}
