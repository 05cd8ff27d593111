import type { Db, Tx } from '../../db/client';
import { AppError } from '../../lib/errors';
import { writeAudit } from '../audit/write-audit';
import { resolveByFacts } from '../exceptions/open-exception';
import { notify } from '../notifications/notify';
import { enqueueApply } from '../shipments/apply-job';
import { maySeeSite } from '../users/site-scope';
import { applyApprovedAdjustment, rejectAdjustment } from '../billing/charge-adjustments';
import { liftOverriddenHold } from './hold-overrides';
import { overdueExceptionKey } from './overdue';
import { levelAtLeast } from './rules';

// A person's decision on a pending request. The decider must hold the rule's role and at least
// its level and work at the shipment's site, all read from the database inside the decision's
// transaction, and may not decide a request they raised. What follows depends on the kind, in
// the same transaction: a gate rule's request re-runs the gate through the shipment's apply job
// (an approval lets it pass, a rejection keeps the hold and puts the reason on it); an approved
// hold override lifts the hold and re-runs the gate; a charge adjustment is applied or
// rejected. Whoever asked is told the outcome.

export interface Decision {
  requestId: string;
  deciderId: string;
  approve: boolean;
  note: string;
}

export interface DecisionContext {
  requestId?: string | null;
  now?: Date;
}

async function lockRequest(tx: Tx, requestId: string) {
  await tx.$executeRaw`SELECT 1 FROM approval_requests WHERE id = ${requestId}::uuid FOR UPDATE`;
  const request = await tx.approvalRequest.findUnique({
    where: { id: requestId },
    include: {
      rule: { select: { name: true, requiredRole: true, requiredLevel: true } },
      shipment: { select: { ref: true, siteId: true, order: { select: { ref: true } } } },
    },
  });
  if (!request) throw new AppError('NOT_FOUND', 'No such approval request');
  if (request.status !== 'PENDING')
    throw new AppError('CONFLICT', 'This request was already decided');

  return request;
}

type LockedRequest = Awaited<ReturnType<typeof lockRequest>>;

async function assertMayDecide(tx: Tx, request: LockedRequest, deciderId: string) {
  const user = await tx.user.findUnique({
    where: { id: deciderId },
    select: { role: true, level: true, active: true, allSites: true, sites: true },
  });
  if (!user?.active) throw new AppError('FORBIDDEN', 'Your account may not decide approvals');
  if (request.requestedById === deciderId)
    throw new AppError('FORBIDDEN', 'You cannot decide your own request');
  const siteIds = user.sites.map((s) => s.siteId);
  if (
    request.shipment &&
    !maySeeSite({ allSites: user.allSites, siteIds }, request.shipment.siteId)
  )
    throw new AppError('FORBIDDEN', 'This shipment belongs to a site you do not work at');
  const rule = request.rule;
  if (!rule || user.role !== rule.requiredRole || !levelAtLeast(user.level, rule.requiredLevel))
    throw new AppError('FORBIDDEN', 'This approval needs another role or a higher level');
}

async function carryOut(tx: Tx, request: LockedRequest, decision: Decision, now: Date) {
  if (request.kind === 'CHARGE_ADJUSTMENT') {
    if (decision.approve) await applyApprovedAdjustment(tx, request.id, decision.deciderId, now);
    else await rejectAdjustment(tx, request.id, now);
  } else if (request.kind === 'HOLD_OVERRIDE' && decision.approve) {
    await liftOverriddenHold(tx, request, decision.deciderId, now);
  }
  if (request.kind === 'HOLD_OVERRIDE' || request.kind === 'CHARGE_ADJUSTMENT') {
    await resolveByFacts(tx, [overdueExceptionKey(request)], 'the approval was decided');
  }
  if (request.shipment && request.kind !== 'CHARGE_ADJUSTMENT')
    await enqueueApply(tx, [request.shipment.order.ref]);
}

async function tellRequester(tx: Tx, request: LockedRequest, approve: boolean, note: string) {
  if (!request.requestedById) return;
  const what = request.rule?.name ?? request.kind;
  await notify(tx, [
    {
      kind: 'APPROVAL_DECIDED',
      userId: request.requestedById,
      approvalRequestId: request.id,
      title: `${approve ? 'Approved' : 'Rejected'}: ${what}${request.shipment ? ` on ${request.shipment.ref}` : ''}`,
      body: note || (approve ? 'Approved.' : 'Rejected.'),
      link: '/approvals',
    },
  ]);
}

export async function decideApproval(
  db: Db,
  decision: Decision,
  ctx: DecisionContext = {},
): Promise<{ status: 'APPROVED' | 'REJECTED' }> {
  const note = decision.note.trim();
  if (!decision.approve && note.length === 0)
    throw new AppError('BAD_REQUEST', 'A rejection needs a reason');

  return db.$transaction(async (tx) => {
    const now = ctx.now ?? new Date();
    const request = await lockRequest(tx, decision.requestId);
    await assertMayDecide(tx, request, decision.deciderId);
    const status = decision.approve ? 'APPROVED' : 'REJECTED';
    await tx.approvalRequest.update({
      where: { id: request.id },
      data: { status, decidedById: decision.deciderId, decidedAt: now, decisionNote: note || null },
    });
    await writeAudit(tx, {
      entityType: 'ApprovalRequest',
      entityId: request.id,
      action: decision.approve ? 'approval.approved' : 'approval.rejected',
      actor: { type: 'USER', id: decision.deciderId },
      requestId: ctx.requestId ?? null,
      data: { shipmentId: request.shipmentId, note },
    });
    await carryOut(tx, request, decision, now);
    await tellRequester(tx, request, decision.approve, note);

    return { status };
  });
}
