import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/api/root';
import type { Role, UserLevel } from '@/server/db/generated/enums';

type Outputs = inferRouterOutputs<AppRouter>['users'];
export type UserRow = Outputs['list'][number];
export type FormOptions = Outputs['formOptions'];

/** What the create and edit forms hold. */
export interface UserDraft {
  name: string;
  role: Role;
  level: UserLevel;
  teamId: string | null;
  allSites: boolean;
  siteIds: string[];
}

export function draftOf(user: UserRow): UserDraft {
  return {
    name: user.name,
    role: user.role,
    level: user.level,
    teamId: user.teamId,
    allSites: user.allSites,
    siteIds: user.sites.map((s) => s.id),
  };
}

export const EMPTY_DRAFT: UserDraft = {
  name: '',
  role: 'WAREHOUSE_SUPERVISOR',
  level: 'MEMBER',
  teamId: null,
  allSites: false,
  siteIds: [],
};
