import type { Role, UserLevel } from '../../db/generated/enums';

/** Who is signed in, as read from the database at the start of a request. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  level: UserLevel;
  teamId: string | null;
  allSites: boolean;
  siteIds: string[];
}

/** Who performs a change, for the audit row. */
export interface UserActor {
  userId: string;
  requestId: string | null;
}
