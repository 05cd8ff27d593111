import { AppError } from '../../lib/errors';
import type { Role } from '../../db/generated/enums';

// Rules on what an admin may change. An admin can neither deactivate nor demote themselves: with
// the acting admin always staying an active admin, the last admin can never be removed.

export function assertNotSelfLockout(
  actorId: string,
  targetId: string,
  change: { active?: boolean; role?: Role },
): void {
  if (actorId !== targetId) return;
  if (change.active === false) {
    throw new AppError('FORBIDDEN', 'You cannot deactivate your own account');
  }
  if (change.role !== undefined && change.role !== 'ADMIN') {
    throw new AppError('FORBIDDEN', 'You cannot take the administrator role from yourself');
  }
}

/** A team belongs to one site; a user who sees only some sites must see the team's. */
export function assertTeamWithinSites(
  team: { siteId: string } | null,
  allSites: boolean,
  siteIds: readonly string[],
): void {
  if (!team || allSites) return;
  if (!siteIds.includes(team.siteId)) {
    throw new AppError('UNPROCESSABLE', "The user's team is at a site the user is not assigned to");
  }
}
