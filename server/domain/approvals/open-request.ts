import type { Tx } from '../../db/client';
import type { Prisma } from '../../db/generated/client';
import type { ApprovalKind, Role, UserLevel } from '../../db/generated/enums';
import { enqueue } from '../../jobs/enqueue';
import { writeAudit } from '../audit/write-audit';
import { loadSiteCalendar } from '../sla/calendar';
import { notifyApprovers } from './approvers';
import { approvalDueAt } from './due';

// Every approval request starts here, whatever asks for it (the gate's rules, a person asking
// for a hold override or a charge adjustment, a re-request after a rejection): one PENDING row
// due two business hours later in the shipment's site calendar, a durable timer (a
// graphile-worker job with run_at) that escalates it when nobody decided in time, a notice to
// everyone who may decide it (never the requester), and its audit row, in the caller's
// transaction.

export const APPROVAL_OVERDUE_TASK = 'approval_overdue';

export function overdueJobKey(requestId: string): string {
  return `${APPROVAL_OVERDUE_TASK}:${requestId}`;
}

export interface NewRequest {
  rule: { id: string; requiredRole: Role; requiredLevel: UserLevel };
  shipment: { id: string; ref: string; siteId: string };
  kind: ApprovalKind;
  reason: string;
  detail: Record<string, unknown>;
  /** Null for requests the gate raises by itself. */
  requestedById: string | null;
  title: string;
  requestId?: string | null;
}

export async function openRequest(tx: Tx, req: NewRequest, now: Date = new Date()) {
  const calendar = await loadSiteCalendar(tx, req.shipment.siteId);
  const request = await tx.approvalRequest.create({
    data: {
      ruleId: req.rule.id,
      shipmentId: req.shipment.id,
      kind: req.kind,
      reason: req.reason,
      detail: req.detail as Prisma.InputJsonValue,
      requestedById: req.requestedById,
      dueAt: approvalDueAt(calendar.spec, now),
      createdAt: now,
    },
    select: { id: true, dueAt: true },
  });
  await enqueue(
    tx,
    APPROVAL_OVERDUE_TASK,
    { requestId: request.id },
    { jobKey: overdueJobKey(request.id), runAt: request.dueAt },
  );
  await notifyApprovers(
    tx,
    'APPROVAL_REQUESTED',
    { id: request.id, title: req.title, body: req.reason },
    {
      requiredRole: req.rule.requiredRole,
      requiredLevel: req.rule.requiredLevel,
      siteId: req.shipment.siteId,
      excludeUserId: req.requestedById,
    },
  );
  await writeAudit(tx, {
    entityType: 'ApprovalRequest',
    entityId: request.id,
    action: 'approval.requested',
    actor: req.requestedById
      ? { type: 'USER', id: req.requestedById }
      : { type: 'SYSTEM', id: null },
    requestId: req.requestId ?? null,
    data: {
      shipmentId: req.shipment.id,
      ruleId: req.rule.id,
      kind: req.kind,
      dueAt: request.dueAt.toISOString(),
      ...req.detail,
    },
  });

  return request;
}
