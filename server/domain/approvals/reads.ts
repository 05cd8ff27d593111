import type { Db } from '../../db/client';
import type { Role, UserLevel } from '../../db/generated/enums';
import { siteFilter, type SiteScope } from '../users/site-scope';
import { SHIPMENT_KINDS } from './rules';

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
      rule: { select: { name: true, requiredLevel: true } },
      shipment: { select: { id: true, ref: true } },
    },
  });
}

export function listRules(db: Db) {
  return db.approvalRule.findMany({
    where: { kind: { in: [...SHIPMENT_KINDS] } },
    orderBy: [{ active: 'desc' }, { createdAt: 'asc' }],
  });
}
