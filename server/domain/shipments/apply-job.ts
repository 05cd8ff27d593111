import type { Tx } from '../../db/client';
import { batchSpec, type BatchItem } from '../../jobs/batch-jobs';
import { enqueueJobs, type JobSpec } from '../../jobs/enqueue';

// Recording an event never changes shipment state itself: it enqueues, in the same transaction,
// the apply of each shipment reference it names, as an item of its shard's batch job
// (jobs/batch-jobs.ts). A reference named again while its batch waits is applied once.

export const APPLY_TASK = 'apply_shipment_events';

export interface ApplyJobPayload {
  /** The order reference, or the shipment reference when an event names only that. */
  ref: string;
}

/** The reference an event is applied under: its order, else its shipment. */
export function correlationRef(event: {
  orderRef?: string | null;
  shipmentRef?: string | null;
}): string {
  const ref = event.orderRef ?? event.shipmentRef;
  if (!ref) throw new Error('an event names neither an order nor a shipment');

  return ref;
}

/** The apply of one reference as a batch item (`apply:<ref>`). */
export function applyItem(ref: string): BatchItem {
  return { key: `apply:${ref}`, payload: { ref } satisfies ApplyJobPayload };
}

/** The batch job that applies one reference, for callers that enqueue in SQL of their own. */
export function applyJobSpec(ref: string): JobSpec {
  return batchSpec(APPLY_TASK, applyItem(ref));
}

export async function enqueueApply(tx: Tx, refs: Iterable<string>): Promise<void> {
  await enqueueJobs(tx, [...new Set(refs)].map(applyJobSpec));
}
