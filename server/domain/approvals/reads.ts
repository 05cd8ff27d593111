import type { Db } from '../../db/client';
import type { HoldReason, Role, UserLevel } from '../../db/generated/enums';
import { OVERRIDABLE_HOLDS } from '../readiness/overrides';
import { siteFilter, type SiteScope } from '../users/site-scope';

// What the approvals page shows: the pending requests the user may decide (their role, at least
// the rule's level, a site they see, not raised by them), and for admins the rules.

const LEVELS_AT_MOST: Record<UserLevel, UserLevel[]> = {
  MEMBER: ['MEMBER'],
  TEAM_LEAD: ['MEMBER', 'TEAM_LEAD'],
  SITE_MANAGER: ['MEMBER', 'TEAM_LEAD', 'SITE_MANAGER'],
};

export async function pendingForUser(
  db: Db,
  user: SiteScope & { id: string; role: Role; level: UserLevel },
) {
  return db.approvalRequest.findMany({
    where: {
      status: 'PENDING',
      rule: { requiredRole: user.role, requiredLevel: { in: LEVELS_AT_MOST[user.level] } },
      OR: [{ requestedById: null }, { requestedById: { not: user.id } }],
      shipment: siteFilter(user),
    },
    orderBy: { dueAt: 'asc' },
    take: 200,
    select: {
      id: true,
      kind: true,
      reason: true,
      dueAt: true,
      createdAt: true,
      detail: true,
      rule: { select: { name: true, requiredLevel: true } },
      shipment: { select: { id: true, ref: true } },
      requestedBy: { select: { name: true } },
      chargeAdjustment: {
        select: {
          previousAmount: true,
          newAmount: true,
          currency: true,
          charge: { select: { code: true, description: true } },
        },
      },
    },
  });
}

export function listRules(db: Db) {
  return db.approvalRule.findMany({
    orderBy: [{ active: 'desc' }, { kind: 'asc' }, { createdAt: 'asc' }],
  });
}

const REQUEST_SUMMARY = {
  id: true,
  kind: true,
  status: true,
  reason: true,
  decisionNote: true,
  detail: true,
  dueAt: true,
  createdAt: true,
  decidedAt: true,
  rule: { select: { name: true, requiredRole: true, requiredLevel: true } },
  shipment: { select: { ref: true } },
  requestedBy: { select: { name: true } },
  decidedBy: { select: { name: true } },
} as const;

/** The requests a user raised, newest first: where each stands, and which can be asked again. */
export function raisedBy(db: Db, userId: string) {
  return db.approvalRequest.findMany({
    where: { requestedById: userId },
    orderBy: { createdAt: 'desc' },
    take: 50,
    select: REQUEST_SUMMARY,
  });
}

/** Every request of a shipment the user may see, newest first, for the shipment page. */
export function forShipment(db: Db, shipmentRef: string, scope: SiteScope) {
  return db.approvalRequest.findMany({
    where: { shipment: { ref: shipmentRef, ...siteFilter(scope) } },
    orderBy: { createdAt: 'desc' },
    take: 50,
    select: REQUEST_SUMMARY,
  });
}

const HOLD_OF_EXCEPTION: Record<string, HoldReason> = {
  QUANTITY_VARIANCE: 'QUANTITY_VARIANCE',
  INVENTORY_UNCONFIRMED: 'INVENTORY_UNCONFIRMED',
  CREDIT_HOLD: 'CREDIT',
  MISSING_DOCUMENT: 'DANGEROUS_GOODS_DOCUMENT',
  ROUTE_INELIGIBLE: 'ROUTE_INELIGIBLE',
};

/**
 * The open holds of a shipment that an override could lift, each with the override waiting
 * for it, if any: of the shipment by its reference, or the one hold behind an exception.
 */
export async function overridableHolds(
  db: Db,
  target: { ref: string } | { exceptionId: string },
  scope: SiteScope,
) {
  let shipmentId: string | null = null;
  let reasons: HoldReason[] = [...(OVERRIDABLE_HOLDS as HoldReason[])];
  if ('exceptionId' in target) {
    const exception = await db.exception.findUnique({
      where: { id: target.exceptionId },
      select: { shipmentId: true, type: true },
    });
    const reason = exception ? HOLD_OF_EXCEPTION[exception.type] : undefined;
    if (!exception?.shipmentId || !reason) return { shipmentRef: null, holds: [] };
    shipmentId = exception.shipmentId;
    reasons = [reason];
  }
  const shipment = await db.shipment.findFirst({
    where: {
      ...('ref' in target ? { ref: target.ref } : { id: shipmentId! }),
      ...siteFilter(scope),
    },
    select: { id: true, ref: true },
  });
  if (!shipment) return { shipmentRef: null, holds: [] };
  const [holds, waiting] = await Promise.all([
    db.hold.findMany({
      where: { shipmentId: shipment.id, releasedAt: null, reason: { in: reasons } },
      orderBy: { placedAt: 'asc' },
      select: { id: true, reason: true, detail: true, placedAt: true },
    }),
    db.approvalRequest.findMany({
      where: { shipmentId: shipment.id, kind: 'HOLD_OVERRIDE', status: 'PENDING' },
      select: { id: true, detail: true, dueAt: true, requestedBy: { select: { name: true } } },
    }),
  ]);
  const pendingOf = (reason: string) =>
    waiting.find((w) => (w.detail as { holdReason?: string } | null)?.holdReason === reason) ??
    null;

  return {
    shipmentRef: shipment.ref,
    holds: holds.map((h) => ({ ...h, pending: pendingOf(h.reason) })),
  };
}
