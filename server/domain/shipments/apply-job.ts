import type { Tx } from '../../db/client';
import { enqueueJobs, type JobSpec } from '../../jobs/enqueue';

// Recording an event never changes shipment state itself: it enqueues, in the same transaction,
// one apply job per shipment reference. The job key debounces a burst of events for the same
// shipment into one application (a pending job is replaced, not duplicated).

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

/** The apply job of one reference, for callers that enqueue it in SQL of their own (intake). */
export function applyJobSpec(ref: string): JobSpec {
  return { task: APPLY_TASK, payload: { ref } satisfies ApplyJobPayload, jobKey: `apply:${ref}` };
}

export async function enqueueApply(tx: Tx, refs: Iterable<string>): Promise<void> {
  await enqueueJobs(tx, [...new Set(refs)].map(applyJobSpec));
}
