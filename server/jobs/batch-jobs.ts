import { createHash } from 'node:crypto';
import type { JobSpec } from './enqueue';

// Work items run as batch jobs (array payloads), in two forms.
// * Gathered under a key per shard of their task (the applies), each shard a named queue of
//   graphile-worker whose jobs run one at a time: while a shard's batch runs, what arrives for
//   the shard gathers in its next job (graphile-worker appends an added job's payload to the
//   pending job of the same key when both are arrays), so that a burst is applied in a few
//   large batches rather than many small ones side by side. A batch pays its transaction's
//   fixed costs (its BEGIN and COMMIT, its locks and reads, the queue's fetch and completion)
//   once for all its items, so that the busier the shard, the less each item costs. A pending
//   job holds at most 64 items (enqueue_jobs, in the migrations, seals it: each add rewrites
//   the whole payload). The price: a transaction that adds to a pending job holds that job's
//   row (and enqueue_jobs' key lock) until it commits.
// * Unkeyed, one job for the items a transaction adds (the branches of the decisions it
//   makes): nothing is merged into it, so its enqueue is an insert that no other transaction
//   waits for. The decisions of a busy customer would otherwise queue behind each other's
//   commits on the few pending branch jobs they all extend.
// The task runs each item in a transaction of its own, or, where it can, a batch's items in
// one, and hands an item that fails to a job of its own (`singleItemSpec`), which retries with
// backoff and, exhausted, is recorded as a failed job as any other: one bad item never holds
// back its batch.

/**
 * Shards of a keyed task, each a queue of one batch at a time: how many batches of applies run
 * side by side across every worker (APPLY_SHARDS, 2 by default). More shards use more of a
 * larger database server; on a small one, each shard more means smaller batches, each paying
 * its fixed costs. Every process that enqueues (the app, the workers) must use the same number.
 */
export const BATCH_SHARDS = shardsFrom(process.env.APPLY_SHARDS);

export function shardsFrom(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 2;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 256)
    throw new Error(`APPLY_SHARDS must be a whole number from 1 to 256, got "${raw}"`);

  return value;
}

export interface BatchItem {
  /** The item's identity in its task (`apply:<ref>`): duplicates in a batch run once. */
  key: string;
  payload: Record<string, unknown>;
}

function shardOf(key: string): number {
  return createHash('sha1').update(key).digest().readUInt32BE(0) % BATCH_SHARDS;
}

/**
 * The job that gathers `item`: keyed by its task and shard, in the shard's queue, its payload
 * an array of one.
 */
export function batchSpec(
  task: string,
  item: BatchItem,
  opts: Omit<JobSpec, 'task' | 'payload' | 'jobKey'> = {},
): JobSpec {
  const key = `${task}#${shardOf(item.key)}`;

  return { ...opts, task, payload: [item.payload], jobKey: key, queueName: key };
}

/** Items as one job without a key (the unkeyed form above); one call's of a task are merged. */
export function unkeyedBatchSpec(
  task: string,
  payloads: readonly Record<string, unknown>[],
  opts: Omit<JobSpec, 'task' | 'payload' | 'jobKey'> = {},
): JobSpec {
  return { ...opts, task, payload: [...payloads] };
}

/** The job of one item by itself, under the item's own key (the form a failed item retries in). */
export function singleItemSpec(
  task: string,
  item: BatchItem,
  opts: Omit<JobSpec, 'task' | 'payload' | 'jobKey'> = {},
): JobSpec {
  return { ...opts, task, payload: item.payload, jobKey: item.key };
}

/**
 * Batch specs of one call made one job per key (add_jobs may not meet a key twice in one call),
 * and unkeyed ones one job per task and options: their array payloads concatenated. Specs with
 * an object payload pass unchanged.
 */
export function mergeBatches(specs: readonly JobSpec[]): JobSpec[] {
  const merged = new Map<string, JobSpec>();
  const out: JobSpec[] = [];
  for (const spec of specs) {
    if (!Array.isArray(spec.payload)) {
      out.push(spec);
      continue;
    }
    const key = spec.jobKey
      ? `key:${spec.jobKey}`
      : `task:${JSON.stringify([spec.task, spec.priority, spec.maxAttempts, spec.runAt])}`;
    const seen = merged.get(key);
    if (seen) (seen.payload as unknown[]).push(...spec.payload);
    else {
      const copy = { ...spec, payload: [...spec.payload] };
      merged.set(key, copy);
      out.push(copy);
    }
  }

  return out;
}

/** A batch's items, each once (the first of its key), in the order they were added. */
export function distinctItems<P>(items: readonly P[], keyOf: (item: P) => string): P[] {
  const seen = new Set<string>();

  return items.filter((item) => {
    const key = keyOf(item);
    if (seen.has(key)) return false;
    seen.add(key);

    return true;
  });
}
