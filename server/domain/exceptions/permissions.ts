import type { Role, TeamKind, UserLevel } from '../../db/generated/enums';
import { maySeeSite } from '../users/site-scope';

// Who may open and act on an exception. Whoever it was assigned or escalated to may, whatever
// their role or sites: an escalation that reaches someone who cannot act on it is no
// escalation. Otherwise the owning team's people at the site, its site manager, and admins.

export interface ActingUser {
  id: string;
  role: Role;
  level: UserLevel;
  teamId: string | null;
  allSites: boolean;
  siteIds: readonly string[];
}

export interface ExceptionAccess {
  siteId: string | null;
  teamId: string | null;
  ownerTeam: TeamKind;
  assigneeId: string | null;
  /** Everyone any fired escalation level reached. */
  escalatedTo: readonly string[];
}

/** The operational team each role works in (executives belong to none). */
export const TEAM_OF_ROLE: Partial<Record<Role, TeamKind>> = {
  WAREHOUSE_SUPERVISOR: 'WAREHOUSE',
  DISPATCHER: 'DISPATCH',
  BILLING_ANALYST: 'BILLING',
  ADMIN: 'ADMIN',
};

export function canActOnException(user: ActingUser, exception: ExceptionAccess): boolean {
  if (exception.assigneeId === user.id) return true;
  if (exception.escalatedTo.includes(user.id)) return true;
  const scope = { allSites: user.allSites, siteIds: [...user.siteIds] };
  if (exception.siteId && !maySeeSite(scope, exception.siteId)) return false;
  if (user.role === 'ADMIN') return true;
  if (exception.teamId && user.teamId === exception.teamId) return true;
  if (user.level === 'SITE_MANAGER' && exception.siteId) return true;

  return TEAM_OF_ROLE[user.role] === exception.ownerTeam;
}
