import type { Db, Tx } from '../../db/client';
import type { Role } from '../../db/generated/enums';
import { AppError } from '../../lib/errors';
import { requestAdjustment } from '../billing/charge-adjustments';
import { enqueueApply } from '../shipments/apply-job';
import { maySeeSite } from '../users/site-scope';
import { requestOverride } from './hold-overrides';
import { openRequest } from './open-request';

// A rejected request can be asked again, with a new reason, as a new request: the rejection
// stays on record as it was decided, and the new one is timed, escalated and decided like any
// other (its requester can never decide it). Only the latest request of its subject can be
// asked again (the shipment and rule; the hold; the charge), and only while nothing newer is
// waiting. A gate rule's re-request makes the next gate run hold the shipment as awaiting
// approval again instead of rejected; an override or an adjustment is asked again through its
// own path, so its checks (the hold still open, the charge not invoiced, the threshold of today)
// run again too.

export interface ReRequest {
  requestId: string;
  reason: string;
  userId: string;
  ctxRequestId?: string | null;
}

const MAY_ASK_AGAIN: readonly Role[] = [
  'WAREHOUSE_SUPERVISOR',
  'DISPATCHER',
  'BILLING_ANALYST',
  'ADMIN',
];

async function loadRejected(tx: Tx, requestId: string) {
  await tx.$executeRaw`SELECT 1 FROM approval_requests WHERE id = ${requestId}::uuid FOR UPDATE`;
  const request = await tx.approvalRequest.findUnique({
    where: { id: requestId },
    include: {
      rule: true,
      shipment: { select: { id: true, ref: true, siteId: true, order: { select: { ref: true } } } },
      chargeAdjustment: { select: { chargeId: true, newAmount: true } },
    },
  });
  if (!request) throw new AppError('NOT_FOUND', 'No such approval request');
  if (request.status !== 'REJECTED')
    throw new AppError('CONFLICT', 'Only a rejected request can be asked again');

  return request;
}

async function assertMayAskAgain(tx: Tx, userId: string, siteId: string) {
  const user = await tx.user.findUnique({
    where: { id: userId },
    select: { role: true, active: true, allSites: true, sites: { select: { siteId: true } } },
  });
  if (!user?.active || !MAY_ASK_AGAIN.includes(user.role))
    throw new AppError('FORBIDDEN', 'Your role may not ask for approvals');
  if (!maySeeSite({ allSites: user.allSites, siteIds: user.sites.map((s) => s.siteId) }, siteId))
    throw new AppError('FORBIDDEN', 'This shipment belongs to a site you do not work at');
}

/** A gate rule's request asked again: a new PENDING request for the same shipment and rule. */
async function askRuleAgain(db: Db, ask: ReRequest, reason: string) {
  return db.$transaction(async (tx) => {
    const old = await loadRejected(tx, ask.requestId);
    if (!old.shipment || !old.rule || !old.ruleId)
      throw new AppError('CONFLICT', 'This request has no shipment rule');
    await assertMayAskAgain(tx, ask.userId, old.shipment.siteId);
    if (!old.rule.active)
      throw new AppError(
        'CONFLICT',
        'The rule was deactivated; the shipment no longer needs this approval',
      );
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`approval:${old.shipment.id}:${old.ruleId}`}, 0))`;
    const newer = await tx.approvalRequest.findFirst({
      where: { shipmentId: old.shipment.id, ruleId: old.ruleId, createdAt: { gt: old.createdAt } },
      select: { id: true },
    });
    if (newer) throw new AppError('CONFLICT', 'This request was already asked again');

    const request = await openRequest(tx, {
      rule: old.rule,
      shipment: old.shipment,
      kind: old.kind,
      reason,
      detail: { ...((old.detail ?? {}) as object), previousRequestId: old.id },
      requestedById: ask.userId,
      title: `Approval asked again: ${old.shipment.ref}`,
      requestId: ask.ctxRequestId,
    });
    await enqueueApply(tx, [old.shipment.order.ref]);

    return { id: request.id, dueAt: request.dueAt };
  });
}

/** The subject of a rejected override or adjustment, read before asking through its own path. */
async function subjectOf(db: Db, ask: ReRequest) {
  return db.$transaction(async (tx) => {
    const old = await loadRejected(tx, ask.requestId);
    if (!old.shipment) throw new AppError('CONFLICT', 'This request has no shipment');
    if (old.kind === 'CHARGE_ADJUSTMENT') {
      if (!old.chargeAdjustment) throw new AppError('CONFLICT', 'This request has no adjustment');

      return { kind: 'adjustment' as const, ...old.chargeAdjustment };
    }
    const holdReason = (old.detail as { holdReason?: string } | null)?.holdReason;
    const hold = await tx.hold.findFirst({
      where: { shipmentId: old.shipment.id, releasedAt: null, reason: holdReason as never },
      select: { id: true },
    });
    if (!hold) throw new AppError('CONFLICT', 'This hold is no longer open; nothing to override');

    return { kind: 'override' as const, holdId: hold.id };
  });
}

export async function askAgain(db: Db, ask: ReRequest): Promise<{ id: string; dueAt: Date }> {
  const reason = ask.reason.trim();
  if (reason.length === 0) throw new AppError('BAD_REQUEST', 'Asking again needs a new reason');
  const kind = (
    await db.approvalRequest.findUnique({ where: { id: ask.requestId }, select: { kind: true } })
  )?.kind;
  if (!kind) throw new AppError('NOT_FOUND', 'No such approval request');
  if (kind === 'GOODS_VALUE' || kind === 'DANGEROUS_GOODS') return askRuleAgain(db, ask, reason);

  const subject = await subjectOf(db, ask);
  if (subject.kind === 'override')
    return requestOverride(db, {
      holdId: subject.holdId,
      reason,
      userId: ask.userId,
      requestId: ask.ctxRequestId,
    });
  const outcome = await requestAdjustment(db, {
    chargeId: subject.chargeId,
    newAmount: subject.newAmount.toFixed(2),
    reason,
    userId: ask.userId,
    requestId: ask.ctxRequestId,
  });
  if (outcome.status === 'APPLIED') return { id: outcome.adjustmentId, dueAt: new Date() };

  return { id: outcome.approvalRequestId, dueAt: outcome.dueAt };
}
