import type { Db } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { openException } from '../domain/exceptions/open-exception';
import { logger } from '../lib/logger';

// A job out of retries must not leave a shipment silently stuck: it becomes an exception owned
// by the admin team of the site it belongs to and, when it concerns a shipment, a hold that says
// which branch failed, so that the shipment cannot leave on a half-done orchestration.

const log = logger('failed-job');

export interface FailedJob {
  task: string;
  jobId: string;
  payload: unknown;
  error: unknown;
}

export async function recordFailedJob(db: Db, job: FailedJob): Promise<void> {
  const message = job.error instanceof Error ? job.error.message : String(job.error);
  log.error({ task: job.task, jobId: job.jobId, err: message }, 'job exhausted its retries');
  const shipmentId = (job.payload as { shipmentId?: string } | null)?.shipmentId ?? null;
  await db.$transaction(async (tx) => {
    const shipment = shipmentId
      ? await tx.shipment.findUnique({
          where: { id: shipmentId },
          select: { id: true, siteId: true },
        })
      : null;
    await openException(tx, {
      type: 'FAILED_JOB',
      severity: 'HIGH',
      ownerTeam: 'ADMIN',
      siteId: shipment?.siteId ?? null,
      shipmentId: shipment?.id ?? null,
      dedupeKey: `job:${job.task}:${shipment?.id ?? job.jobId}`,
      title: `${job.task} failed after its retries: ${message.slice(0, 200)}`,
      detail: {
        task: job.task,
        jobId: job.jobId,
        payload: job.payload,
        error: message,
      } as Prisma.InputJsonValue,
    });
    if (shipment) {
      const reason = job.task === 'prevalidate_billing' ? 'BILLING' : 'DISPATCH';
      const open = await tx.hold.findFirst({
        where: { shipmentId: shipment.id, reason, releasedAt: null },
      });
      if (!open)
        await tx.hold.create({
          data: {
            shipmentId: shipment.id,
            reason,
            detail: `${job.task} failed: ${message.slice(0, 200)}`,
          },
        });
    }
  });
}
