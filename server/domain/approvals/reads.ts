import type { Db } from '../../db/client';
import type { Role, UserLevel } from '../../db/generated/enums';
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
