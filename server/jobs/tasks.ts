import type { JobHelpers, Task, TaskList } from 'graphile-worker';
import type { Db } from '../db/client';
import { APPLY_TASK, applyItem, type ApplyJobPayload } from '../domain/shipments/apply-job';
import { branchKey } from '../domain/readiness/branch-jobs';
import { applyShipmentEvents } from '../domain/shipments/apply-events';
import { applyTogether } from '../domain/shipments/apply-together';
import { prevalidateBilling } from '../domain/billing/prevalidate-billing';
import { prevalidateTogether } from '../domain/billing/prevalidate-together';
import { slotShipment } from '../domain/dispatch/slot-shipment';
import { slotTogether } from '../domain/dispatch/slot-together';
import {
  deliverOutbox,
  deliverOutboxTogether,
  DELIVER_WEBHOOK_TASK,
} from '../domain/integration/deliver-outbox';
import { attemptDelivery } from '../domain/integration/webhooks/deliver-webhook';
import {
  DELIVER_OUTBOX_TASK,
  publishShipmentRecord,
} from '../domain/integration/publish-shipment-record';
import { publishTogether } from '../domain/integration/publish-together';
import { REAPPLY_TASK, reapplyHeldEvents } from '../domain/integration/mappings/reapply-held';
import { runEscalation } from '../domain/sla/escalate';
import { ESCALATE_TASK, SWEEP_TASK } from '../domain/sla/schedule';
import { sweepAgainAt, sweepAndSettle } from '../domain/sla/sweep';
import { EMAIL_TASK, EMAILS_TASK } from '../domain/notifications/notify';
import { sendNotificationEmail, sendNotificationEmails } from '../domain/notifications/send-email';
import { CHECKPOINT_TASK, sealAuditLog } from '../domain/audit/checkpoint';
import { signingKey } from '../domain/audit/signing-key';
import { escalateOverdueApproval } from '../domain/approvals/overdue';
import { APPROVAL_OVERDUE_TASK } from '../domain/approvals/raise-requests';
import { IMPORT_TASK, processImport } from '../domain/imports/process-import';
import { recordFailedJob } from './failed-job';
import { distinctItems, singleItemSpec, unkeyedBatchSpec, type BatchItem } from './batch-jobs';
import { enqueueJobs, pendingJobKeys } from './enqueue';

// Every job the product runs, by name. Each task calls one domain service; services are
// idempotent because graphile-worker delivers at least once. A job that exhausts its retries
// becomes a FAILED_JOB exception (and, for a shipment's branch, a controlled hold) before it is
// left failed in the queue, where admins see its error and can retry it.

interface ShipmentJob {
  shipmentId: string;
}

/** Items made together by `make` (a task's `together` form), none left to run alone. */
function allTogether<P, K>(idOf: (payload: P) => K, make: (ids: K[]) => Promise<unknown>) {
  return async (payloads: P[]): Promise<P[]> => {
    await make(payloads.map(idOf));

    return [];
  };
}

const shipmentIdOf = (p: ShipmentJob) => p.shipmentId;

function guarded<P>(
  db: Db,
  name: string,
  run: (payload: P, helpers: JobHelpers) => Promise<unknown>,
): Task {
  return async (payload, helpers) => {
    try {
      await run(payload as P, helpers);
    } catch (error) {
      if (helpers.job.attempts >= helpers.job.max_attempts) {
        await recordFailedJob(db, { task: name, jobId: String(helpers.job.id), payload, error });
      }
      throw error;
    }
  };
}

/**
 * A batch of work that waits behind the applies (a priority number above theirs, 0) runs its
 * items for about this long, then queues the rest as a batch of their own: the worker slot goes
 * back to the queue, which takes a waiting apply first. Apply batches run to their end (at most
 * 64 items, enqueue_jobs' cap), made together in one transaction.
 */
export const BATCH_SLICE_MS = 25;

/** At most this many items of a batch are run together (one transaction, for a task that can). */
export const TOGETHER_MAX = 64;

/**
 * A task whose jobs are batches of items (jobs/batch-jobs.ts), or one item alone: an item that
 * failed in its batch, handed to a job of its own. A batch runs its items one after another,
 * each as the single form does (a transaction of its own), or, for a task that can, up to
 * TOGETHER_MAX of them at a time in one (`together`, which answers the items it left to run one
 * at a time; should it fail, each of its items runs by itself). A failing item is enqueued by
 * itself, with its own retries and failed-job record, and the batch goes on. Should the hand-off
 * fail, the batch fails and runs again whole (items are idempotent); out of attempts, each of
 * its items is recorded as a failed job, as the item's own job would be.
 */
function batched<P>(
  db: Db,
  name: string,
  keyOf: (payload: P) => string,
  run: (payload: P) => Promise<unknown>,
  together?: (payloads: P[]) => Promise<P[]>,
): Task {
  const single = guarded<P>(db, name, run);
  const itemOf = (payload: P): BatchItem => ({
    key: keyOf(payload),
    payload: payload as Record<string, unknown>,
  });

  return async (payload, helpers) => {
    if (!Array.isArray(payload)) return single(payload, helpers);
    const { job } = helpers;
    const items = distinctItems(payload as P[], keyOf);
    const sliced = job.priority > 0;
    const failed: BatchItem[] = [];
    const runOne = async (item: P) => {
      try {
        await run(item);
      } catch (error) {
        helpers.logger.error(
          `${name} ${keyOf(item)} failed in its batch, retried by itself: ${(error as Error).message}`,
        );
        failed.push(itemOf(item));
      }
    };
    const runSome = async (some: P[]) => {
      let alone = some;
      if (together && some.length > 1) {
        try {
          alone = await together(some);
        } catch (error) {
          helpers.logger.warn(
            `${name}: ${some.length} items failed together, run one at a time: ${(error as Error).message}`,
          );
        }
      }
      for (const item of alone) await runOne(item);
    };
    const started = performance.now();
    let done = 0;
    while (
      done < items.length &&
      (!sliced || done === 0 || performance.now() - started < BATCH_SLICE_MS)
    ) {
      const some = items.slice(done, done + (together ? TOGETHER_MAX : 1));
      done += some.length;
      await runSome(some);
    }
    const rest = items.slice(done).map(itemOf);
    if (failed.length === 0 && rest.length === 0) return;
    const opts = { priority: job.priority, maxAttempts: job.max_attempts };
    try {
      await db.$transaction(async (tx) => {
        // An item whose own job already waits for its retry is left to it, attempts and all
        // (adding it again would reset them): that job runs the item as it stands by then.
        const waiting = await pendingJobKeys(
          tx,
          failed.map((item) => item.key),
        );
        await enqueueJobs(tx, [
          ...failed
            .filter((item) => !waiting.has(item.key))
            .map((item) => singleItemSpec(name, item, opts)),
          ...(rest.length > 0
            ? [
                unkeyedBatchSpec(
                  name,
                  rest.map((item) => item.payload),
                  opts,
                ),
              ]
            : []),
        ]);
      });
    } catch (error) {
      if (job.attempts >= job.max_attempts) {
        for (const item of [...failed, ...rest]) {
          await recordFailedJob(db, {
            task: name,
            jobId: String(job.id),
            payload: item.payload,
            error,
          });
        }
      }
      throw error;
    }
  };
}

/** The task list over one database client (the worker's own pool). */
export function createTaskList(db: Db): TaskList {
  return {
    [APPLY_TASK]: batched<ApplyJobPayload>(
      db,
      APPLY_TASK,
      (p) => applyItem(p.ref).key,
      (p) => applyShipmentEvents(db, p.ref),
      async (ps) => {
        const alone = new Set(
          await applyTogether(
            db,
            ps.map((p) => p.ref),
          ),
        );

        return ps.filter((p) => alone.has(p.ref));
      },
    ),
    slot_shipment: batched<ShipmentJob>(
      db,
      'slot_shipment',
      branchKey('slot_shipment'),
      (p) => slotShipment(db, p.shipmentId),
      allTogether(shipmentIdOf, (ids) => slotTogether(db, ids)),
    ),
    prevalidate_billing: batched<ShipmentJob>(
      db,
      'prevalidate_billing',
      branchKey('prevalidate_billing'),
      (p) => prevalidateBilling(db, p.shipmentId),
      allTogether(shipmentIdOf, (ids) => prevalidateTogether(db, ids)),
    ),
    publish_shipment_record: batched<ShipmentJob>(
      db,
      'publish_shipment_record',
      branchKey('publish_shipment_record'),
      (p) => publishShipmentRecord(db, p.shipmentId),
      allTogether(shipmentIdOf, (ids) => publishTogether(db, ids)),
    ),
    [DELIVER_OUTBOX_TASK]: batched<{ id: string }>(
      db,
      DELIVER_OUTBOX_TASK,
      (p) => `${DELIVER_OUTBOX_TASK}:${p.id}`,
      (p) => deliverOutbox(db, p.id),
      allTogether(
        (p) => p.id,
        (ids) => deliverOutboxTogether(db, ids),
      ),
    ),
    [DELIVER_WEBHOOK_TASK]: guarded<{ deliveryId: string }>(db, DELIVER_WEBHOOK_TASK, (p) =>
      attemptDelivery(db, p.deliveryId),
    ),
    [ESCALATE_TASK]: guarded<{ exceptionId: string }>(db, ESCALATE_TASK, (p) =>
      runEscalation(db, p.exceptionId),
    ),
    // Every SLA timer due by now, set-based; the due second's backstop for the worker's alarm.
    [SWEEP_TASK]: guarded<unknown>(db, SWEEP_TASK, async () => {
      const { left } = await sweepAndSettle(db);
      if (left) await sweepAgainAt(db, new Date(Date.now() + 1_000));
    }),
    [APPROVAL_OVERDUE_TASK]: guarded<{ requestId: string }>(db, APPROVAL_OVERDUE_TASK, (p) =>
      escalateOverdueApproval(db, p.requestId),
    ),
    [EMAIL_TASK]: guarded<{ notificationId: string }>(db, EMAIL_TASK, (p) =>
      sendNotificationEmail(db, p.notificationId),
    ),
    [EMAILS_TASK]: guarded<{ notificationIds: string[] }>(db, EMAILS_TASK, (p) =>
      sendNotificationEmails(db, p.notificationIds),
    ),
    [REAPPLY_TASK]: guarded<{ partnerId: string }>(db, REAPPLY_TASK, (p) =>
      reapplyHeldEvents(db, p.partnerId),
    ),
    [IMPORT_TASK]: guarded<{ runId: string }>(db, IMPORT_TASK, (p, helpers) =>
      processImport(db, p.runId, {
        finalAttempt: helpers.job.attempts >= helpers.job.max_attempts,
      }),
    ),
    // From the crontab, every minute; not guarded: a failed round is simply the next one's work.
    // A round seals everything settled when it starts, a checkpoint per 100,000 rows.
    [CHECKPOINT_TASK]: async () => {
      await sealAuditLog(db, signingKey());
    },
  };
}
