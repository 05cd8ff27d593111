import { unkeyedBatchSpec } from '../../jobs/batch-jobs';
import { jobSpecRecord, type JobSpec } from '../../jobs/enqueue';

// The three branches a READY decision starts, as independent durable jobs: one branch failing
// never blocks another. Each shipment is an item of an unkeyed batch of its branch
// (jobs/batch-jobs.ts): the branches of the decisions one transaction makes go as one job per
// branch, whose enqueue no other decision waits for.

export const BRANCH_TASKS = [
  'slot_shipment',
  'prevalidate_billing',
  'publish_shipment_record',
] as const;

export type BranchTask = (typeof BRANCH_TASKS)[number];

/**
 * graphile-worker runs lower numbers first: a READY decision's branches wait behind the queue's
 * apply jobs (priority 0), so that decisions are never queued behind the work they start.
 */
export const BRANCH_PRIORITY = 10;

const BRANCH_ATTEMPTS = 8;

/** A branch's item key for one shipment (`<task>:<shipmentId>`, the key it retries under alone). */
export function branchKey(task: BranchTask) {
  return (payload: { shipmentId: string }) => `${task}:${payload.shipmentId}`;
}

/** The branch job of one shipment, merged with the others of its transaction (mergeBatches). */
export function branchJob(task: BranchTask, shipmentId: string): JobSpec {
  return unkeyedBatchSpec(task, [{ shipmentId }], {
    maxAttempts: BRANCH_ATTEMPTS,
    priority: BRANCH_PRIORITY,
  });
}

/** The branch job of one shipment as graphile-worker's job_spec reads it, for SQL of one's own. */
export function branchJobRecord(task: BranchTask, shipmentId: string) {
  return jobSpecRecord(branchJob(task, shipmentId));
}
