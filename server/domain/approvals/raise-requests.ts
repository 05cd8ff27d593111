import type { Tx } from '../../db/client';
import type { ApprovalKind } from '../../db/generated/enums';
import { enqueue } from '../../jobs/enqueue';
import { writeAudit } from '../audit/write-audit';
import type { CheckResult } from '../readiness/types';
import { notifyApprovers } from './approvers';

// A failing approval check with no request yet raises one PENDING request for the shipment and
// rule, with its due time and a durable timer (a graphile-worker job with run_at) that escalates
// it when nobody decided in time; whoever may decide it is told. Requests raised by the gate are
// system-raised: no requester.

export const APPROVAL_OVERDUE_TASK = 'approval_overdue';

export const APPROVAL_DUE_MINUTES = 120;

// Wall-clock two hours. Missing: the owning site's business hours (server/lib/business-time.ts);
// this can go once the due time is computed from the site calendar as exception SLAs are.
export function approvalDueAt(now: Date): Date {
  return new Date(now.getTime() + APPROVAL_DUE_MINUTES * 60_000);
}

export function overdueJobKey(requestId: string): string {
  return `${APPROVAL_OVERDUE_TASK}:${requestId}`;
}

/** Raises the missing requests of the failing approval checks; returns how many it created. */
export async function raiseApprovalRequests(
  tx: Tx,
  shipmentId: string,
  checks: readonly CheckResult[],
  now: Date = new Date(),
): Promise<number> {
  const missing = checks.filter(
    (c) => c.check === 'APPROVAL' && c.verdict === 'FAIL' && c.inputs.request === null,
  );
  let created = 0;
  for (const check of missing) {
    if (await raiseOne(tx, shipmentId, check, now)) created += 1;
  }

  return created;
}

async function raiseOne(tx: Tx, shipmentId: string, check: CheckResult, now: Date) {
  const ruleId = String(check.inputs.ruleId);
  // Two runs for one shipment at once must not both raise a request.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`approval:${shipmentId}:${ruleId}`}, 0))`;
  const open = await tx.approvalRequest.findFirst({
    where: { shipmentId, ruleId, status: { in: ['PENDING', 'APPROVED', 'REJECTED'] } },
    select: { id: true },
  });
  if (open) return false;

  const request = await tx.approvalRequest.create({
    data: {
      ruleId,
      shipmentId,
      kind: check.inputs.kind as ApprovalKind,
      reason: check.reason,
      detail: { measured: check.inputs.measured },
      dueAt: approvalDueAt(now),
    },
    select: { id: true, dueAt: true },
  });
  await enqueue(
    tx,
    APPROVAL_OVERDUE_TASK,
    { requestId: request.id },
    { jobKey: overdueJobKey(request.id), runAt: request.dueAt },
  );
  await tellApprovers(tx, shipmentId, ruleId, { id: request.id, reason: check.reason });
  await writeAudit(tx, {
    entityType: 'ApprovalRequest',
    entityId: request.id,
    action: 'approval.requested',
    actor: { type: 'SYSTEM', id: null },
    data: { shipmentId, ruleId, dueAt: request.dueAt.toISOString() },
  });

  return true;
}

async function tellApprovers(
  tx: Tx,
  shipmentId: string,
  ruleId: string,
  request: { id: string; reason: string },
) {
  const rule = await tx.approvalRule.findUniqueOrThrow({ where: { id: ruleId } });
  const shipment = await tx.shipment.findUniqueOrThrow({
    where: { id: shipmentId },
    select: { ref: true, siteId: true },
  });
  await notifyApprovers(
    tx,
    'APPROVAL_REQUESTED',
    { id: request.id, title: `Approval needed: ${shipment.ref}`, body: request.reason },
    { requiredRole: rule.requiredRole, requiredLevel: rule.requiredLevel, siteId: shipment.siteId },
  );
}
