import type { Db, Tx } from '../../db/client';
import type { Prisma } from '../../db/generated/client';
import { writeAudit } from '../audit/write-audit';
import { openException } from '../exceptions/open-exception';
import { notifyApprovers } from './approvers';
import { ownerTeamOf } from './rules';

// The approval timer: a request still PENDING at its due time escalates once. The request stays
// PENDING (the approver can still decide it); its APPROVAL_REQUIRED exception is opened if it
// is not, raised to HIGH and marked escalated, everyone who may decide it is notified, and the
// request records when it went overdue so that a repeated run does nothing. A gate rule's
// request shares the shipment's APPROVAL_REQUIRED exception (the gate resolves it once the
// check passes); an override or a charge adjustment has one of its own, keyed by the request
// and resolved when the request is decided (decide.ts).

export function overdueExceptionKey(request: {
  id: string;
  kind: string;
  shipmentId: string | null;
}): string {
  return request.kind === 'HOLD_OVERRIDE' || request.kind === 'CHARGE_ADJUSTMENT'
    ? `approval:${request.id}`
    : `shipment:${request.shipmentId}:APPROVAL_REQUIRED`;
}

export type OverdueOutcome = 'escalated' | 'not-due' | 'decided' | 'already-escalated';

async function lockPending(tx: Tx, requestId: string) {
  await tx.$executeRaw`SELECT 1 FROM approval_requests WHERE id = ${requestId}::uuid FOR UPDATE`;

  return tx.approvalRequest.findUnique({
    where: { id: requestId },
    include: {
      rule: { select: { name: true, requiredRole: true, requiredLevel: true } },
      shipment: { select: { id: true, siteId: true } },
    },
  });
}

type PendingRequest = NonNullable<Awaited<ReturnType<typeof lockPending>>>;

async function escalateException(tx: Tx, request: PendingRequest, now: Date) {
  if (!request.shipment) return null;
  const opened = await openException(tx, {
    type: 'APPROVAL_REQUIRED',
    ownerTeam: ownerTeamOf(request.rule?.requiredRole ?? 'WAREHOUSE_SUPERVISOR'),
    siteId: request.shipment.siteId,
    shipmentId: request.shipment.id,
    dedupeKey: overdueExceptionKey(request),
    title: `${request.rule?.name ?? 'Approval'}: not decided in time`,
  });
  await tx.exception.update({
    where: { id: opened.id },
    data: { severity: 'HIGH', escalatedAt: now },
  });

  return opened.id;
}

async function tellApprovers(tx: Tx, request: PendingRequest): Promise<number> {
  if (!request.rule || !request.shipment) return 0;

  return notifyApprovers(
    tx,
    'APPROVAL_ESCALATED',
    {
      id: request.id,
      title: `Overdue approval: ${request.rule.name}`,
      body: `${request.reason} (due ${request.dueAt.toISOString()})`,
    },
    {
      requiredRole: request.rule.requiredRole,
      requiredLevel: request.rule.requiredLevel,
      siteId: request.shipment.siteId,
      excludeUserId: request.requestedById,
    },
  );
}

export async function escalateOverdueApproval(
  db: Db,
  requestId: string,
  now: Date = new Date(),
): Promise<OverdueOutcome> {
  return db.$transaction(async (tx) => {
    const request = await lockPending(tx, requestId);
    if (!request || request.status !== 'PENDING') return 'decided';
    if (request.dueAt > now) return 'not-due';
    const detail = (request.detail ?? {}) as Record<string, unknown>;
    if (detail.overdueAt) return 'already-escalated';

    const exceptionId = await escalateException(tx, request, now);
    await tx.approvalRequest.update({
      where: { id: request.id },
      data: { detail: { ...detail, overdueAt: now.toISOString() } as Prisma.InputJsonValue },
    });
    const notified = await tellApprovers(tx, request);
    await writeAudit(tx, {
      entityType: 'ApprovalRequest',
      entityId: request.id,
      action: 'approval.overdue',
      actor: { type: 'SYSTEM', id: null },
      data: { exceptionId, notified, dueAt: request.dueAt.toISOString() },
    });

    return 'escalated';
  });
}
