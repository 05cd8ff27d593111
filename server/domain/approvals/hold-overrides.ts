import type { Db, Tx } from '../../db/client';
import type { Prisma } from '../../db/generated/client';
import type { HoldReason, Role } from '../../db/generated/enums';
import { AppError } from '../../lib/errors';
import { writeAudit } from '../audit/write-audit';
import { notify } from '../notifications/notify';
import {
  findingsOf,
  OVERRIDABLE_HOLDS,
  type OverrideOutcome,
  type StandingOverride,
} from '../readiness/overrides';
import type { CheckResult, GateHoldReason } from '../readiness/types';
import { maySeeSite } from '../users/site-scope';
import { openRequest } from './open-request';

// A person asks for one hold of a shipment to be overridden, with a reason; an approver of the
// HOLD_OVERRIDE rule's role and level (never the requester) decides it (decide.ts). Who may ask:
// warehouse supervisors and admins for any of the gate's holds at a site they work at,
// dispatchers and billing analysts for the holds their own team owns (the failing check's
// owner). The request names the check's findings as the latest readiness decision recorded
// them; the gate applies the override only while the check finds exactly that
// (readiness/overrides.ts), and ends it here when it lapses or is no longer needed.

export interface OverrideAsk {
  holdId: string;
  reason: string;
  userId: string;
  requestId?: string | null;
}

interface OverrideDetail {
  holdId: string;
  holdReason: GateHoldReason;
  check: string;
  findings: string;
  checkReason: string;
  decisionId: string;
}

const ANY_HOLD: readonly Role[] = ['WAREHOUSE_SUPERVISOR', 'ADMIN'];
const OWN_TEAM: Partial<Record<Role, string>> = {
  DISPATCHER: 'DISPATCH',
  BILLING_ANALYST: 'BILLING',
};

async function lockOpenHold(tx: Tx, holdId: string) {
  await tx.$executeRaw`SELECT 1 FROM holds WHERE id = ${holdId}::uuid FOR UPDATE`;
  const hold = await tx.hold.findUnique({
    where: { id: holdId },
    include: { shipment: { select: { id: true, ref: true, siteId: true } } },
  });
  if (!hold) throw new AppError('NOT_FOUND', 'No such hold');
  if (hold.releasedAt) throw new AppError('CONFLICT', 'This hold was already released');
  if (!(OVERRIDABLE_HOLDS as readonly string[]).includes(hold.reason))
    throw new AppError(
      'BAD_REQUEST',
      hold.reason === 'AWAITING_APPROVAL'
        ? 'An approval hold is lifted by deciding its approval, not by an override'
        : `A ${hold.reason} hold is not one of the readiness gate's and cannot be overridden`,
    );

  return hold;
}

/** The failing check behind the hold, as the latest readiness decision recorded it. */
async function failingCheck(tx: Tx, shipmentId: string, reason: HoldReason) {
  const decision = await tx.readinessDecision.findFirst({
    where: { shipmentId },
    orderBy: { decidedAt: 'desc' },
    select: { id: true, checks: true },
  });
  const items = ((decision?.checks as { items?: CheckResult[] } | null)?.items ?? []).filter(
    (c) => c.verdict === 'FAIL' && c.holdReason === reason,
  );
  if (!decision || items.length === 0)
    throw new AppError(
      'CONFLICT',
      'The latest readiness decision does not show this check failing; reload the shipment',
    );

  return { decisionId: decision.id, check: items[0]! };
}

async function assertMayAsk(tx: Tx, userId: string, siteId: string, ownerTeam: string) {
  const user = await tx.user.findUnique({
    where: { id: userId },
    select: { role: true, active: true, allSites: true, sites: { select: { siteId: true } } },
  });
  if (!user?.active) throw new AppError('FORBIDDEN', 'Your account may not ask for overrides');
  if (!maySeeSite({ allSites: user.allSites, siteIds: user.sites.map((s) => s.siteId) }, siteId))
    throw new AppError('FORBIDDEN', 'This shipment belongs to a site you do not work at');
  if (ANY_HOLD.includes(user.role) || OWN_TEAM[user.role] === ownerTeam) return;
  throw new AppError(
    'FORBIDDEN',
    `Only the ${ownerTeam.toLowerCase()} team may ask to lift this hold`,
  );
}

/** The active rule for overrides of this hold reason: its own, else the one for any hold. */
async function overrideRule(tx: Tx, reason: HoldReason) {
  const rules = await tx.approvalRule.findMany({
    where: { kind: 'HOLD_OVERRIDE', active: true },
    orderBy: { createdAt: 'desc' },
  });
  const of = (r: (typeof rules)[number]) =>
    ((r.condition ?? {}) as { holdReason?: string }).holdReason;
  const rule = rules.find((r) => of(r) === reason) ?? rules.find((r) => of(r) == null);
  if (!rule)
    throw new AppError(
      'CONFLICT',
      `No approval rule says who approves overrides of ${reason} holds; an admin adds one on the approvals page`,
    );

  return rule;
}

export async function requestOverride(db: Db, ask: OverrideAsk, now: Date = new Date()) {
  const reason = ask.reason.trim();
  if (reason.length === 0) throw new AppError('BAD_REQUEST', 'An override needs a reason');

  return db.$transaction(async (tx) => {
    const hold = await lockOpenHold(tx, ask.holdId);
    const { decisionId, check } = await failingCheck(tx, hold.shipmentId, hold.reason);
    await assertMayAsk(tx, ask.userId, hold.shipment.siteId, check.ownerTeam);
    const pending = await tx.approvalRequest.findFirst({
      where: {
        kind: 'HOLD_OVERRIDE',
        shipmentId: hold.shipmentId,
        status: 'PENDING',
        detail: { path: ['holdReason'], equals: hold.reason },
      },
      select: { id: true },
    });
    if (pending) throw new AppError('CONFLICT', 'An override of this hold is already waiting');

    const detail: OverrideDetail = {
      holdId: hold.id,
      holdReason: hold.reason as GateHoldReason,
      check: check.check,
      findings: findingsOf(check),
      checkReason: check.reason,
      decisionId,
    };
    const request = await openRequest(
      tx,
      {
        rule: await overrideRule(tx, hold.reason),
        shipment: hold.shipment,
        kind: 'HOLD_OVERRIDE',
        reason,
        detail: { ...detail },
        requestedById: ask.userId,
        title: `Override asked: ${hold.reason} hold on ${hold.shipment.ref}`,
        requestId: ask.requestId,
      },
      now,
    );

    return { id: request.id, dueAt: request.dueAt };
  });
}

/** On approval: the hold is lifted by the approver; the gate run that follows records why. */
export async function liftOverriddenHold(
  tx: Tx,
  request: { id: string; shipmentId: string | null; detail: unknown },
  deciderId: string,
  now: Date,
) {
  const detail = request.detail as OverrideDetail;
  const { count } = await tx.hold.updateMany({
    where: { id: detail.holdId, releasedAt: null },
    data: { releasedAt: now, releasedById: deciderId },
  });
  await writeAudit(tx, {
    entityType: 'Shipment',
    entityId: request.shipmentId!,
    action: 'hold.overridden',
    actor: { type: 'USER', id: deciderId },
    data: {
      holdId: detail.holdId,
      holdReason: detail.holdReason,
      approvalRequestId: request.id,
      lifted: count === 1,
    },
  });
}

/** The shipment's approved overrides that still count, for the gate. */
export async function standingOverrides(tx: Tx, shipmentId: string): Promise<StandingOverride[]> {
  const rows = await tx.approvalRequest.findMany({
    where: { shipmentId, kind: 'HOLD_OVERRIDE', status: 'APPROVED' },
    orderBy: { decidedAt: 'asc' },
    select: { id: true, detail: true, decidedById: true, reason: true },
  });

  return rows.map((r) => {
    const d = r.detail as unknown as OverrideDetail;

    return {
      requestId: r.id,
      holdReason: d.holdReason,
      findings: d.findings,
      approvedById: r.decidedById,
      reason: r.reason,
    };
  });
}

const ENDED: Record<Exclude<OverrideOutcome['state'], 'applied'>, string> = {
  lapsed: "the check's findings changed since the override was approved",
  spent: 'the check passed by itself; a later failure needs an override of its own',
};

/**
 * Ends the overrides the gate found lapsed or spent: EXPIRED with the reason, audited, and a
 * lapse is told to the requester and the approver, since their hold is back.
 */
export async function endOverrides(
  tx: Tx,
  shipmentId: string,
  outcomes: readonly OverrideOutcome[],
  now: Date = new Date(),
): Promise<void> {
  for (const { requestId, state } of outcomes) {
    if (state === 'applied') continue;
    const row = await tx.approvalRequest.findUniqueOrThrow({
      where: { id: requestId },
      select: {
        detail: true,
        requestedById: true,
        decidedById: true,
        shipment: { select: { ref: true } },
      },
    });
    const detail = {
      ...(row.detail as Record<string, unknown>),
      endedAt: now.toISOString(),
      ended: state,
    };
    await tx.approvalRequest.update({
      where: { id: requestId },
      data: { status: 'EXPIRED', detail: detail as Prisma.InputJsonValue },
    });
    await writeAudit(tx, {
      entityType: 'ApprovalRequest',
      entityId: requestId,
      action: state === 'lapsed' ? 'approval.override-lapsed' : 'approval.override-spent',
      actor: { type: 'SYSTEM', id: null },
      data: { shipmentId, why: ENDED[state] },
    });
    if (state === 'lapsed')
      await tellLapse(
        tx,
        requestId,
        row,
        String((row.detail as Partial<OverrideDetail>).holdReason),
      );
  }
}

async function tellLapse(
  tx: Tx,
  requestId: string,
  row: {
    requestedById: string | null;
    decidedById: string | null;
    shipment: { ref: string } | null;
  },
  holdReason: string,
) {
  const people = [...new Set([row.requestedById, row.decidedById].filter((u): u is string => !!u))];
  await notify(
    tx,
    people.map((userId) => ({
      kind: 'APPROVAL_DECIDED' as const,
      userId,
      approvalRequestId: requestId,
      // Level 1 tells the lapse apart from the decision notice of the same request.
      level: 1,
      title: `Override lapsed: ${holdReason} hold on ${row.shipment?.ref ?? 'a shipment'} is back`,
      body: ENDED.lapsed,
      link: row.shipment ? `/shipments/${encodeURIComponent(row.shipment.ref)}` : '/approvals',
    })),
  );
}
