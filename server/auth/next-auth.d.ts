import type { Role, UserLevel } from '../db/generated/enums';

// The claims our JWT and session carry (see server/auth/options.ts).

declare module 'next-auth' {
  interface Session {
    user: {
      uid: string;
      name: string;
      email: string;
      role: Role;
      level: UserLevel;
      teamId: string | null;
      allSites: boolean;
      siteIds: string[];
    };
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    uid?: string;
    role?: Role;
    level?: UserLevel;
    teamId?: string | null;
    allSites?: boolean;
    siteIds?: string[];
  }
}
