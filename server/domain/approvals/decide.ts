import type { Db, Tx } from '../../db/client';
import { AppError } from '../../lib/errors';
import { writeAudit } from '../audit/write-audit';
import { enqueueApply } from '../shipments/apply-job';
import { maySeeSite } from '../users/site-scope';
import { levelAtLeast } from './rules';

// A person's decision on a pending request. The decider must hold the rule's role and at least
// its level and work at the shipment's site, all read from the database inside the decision's
// transaction, and may not decide a request they raised. Either decision re-runs the gate through the shipment's apply job: an
// approval lets it pass, a rejection keeps the hold and puts the reason on it.

export interface Decision {
  requestId: string;
  deciderId: string;
  approve: boolean;
  note: string;
}

export interface DecisionContext {
  requestId?: string | null;
}

async function lockRequest(tx: Tx, requestId: string) {
  await tx.$executeRaw`SELECT 1 FROM approval_requests WHERE id = ${requestId}::uuid FOR UPDATE`;
  const request = await tx.approvalRequest.findUnique({
    where: { id: requestId },
    include: {
      rule: { select: { requiredRole: true, requiredLevel: true } },
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

export async function decideApproval(
  db: Db,
  decision: Decision,
  ctx: DecisionContext = {},
): Promise<{ status: 'APPROVED' | 'REJECTED' }> {
  const note = decision.note.trim();
  if (!decision.approve && note.length === 0)
    throw new AppError('BAD_REQUEST', 'A rejection needs a reason');

  return db.$transaction(async (tx) => {
    const request = await lockRequest(tx, decision.requestId);
    await assertMayDecide(tx, request, decision.deciderId);
    const status = decision.approve ? 'APPROVED' : 'REJECTED';
    await tx.approvalRequest.update({
      where: { id: request.id },
      data: {
        status,
        decidedById: decision.deciderId,
        decidedAt: new Date(),
        decisionNote: note || null,
      },
    });
    await writeAudit(tx, {
      entityType: 'ApprovalRequest',
      entityId: request.id,
      action: decision.approve ? 'approval.approved' : 'approval.rejected',
      actor: { type: 'USER', id: decision.deciderId },
      requestId: ctx.requestId ?? null,
      data: { shipmentId: request.shipmentId, note },
    });
    if (request.shipment) await enqueueApply(tx, [request.shipment.order.ref]);

    return { status };
  });
}
