import type { Role, UserLevel } from '../db/generated/enums';

// The claims our JWT and session carry (see server/auth/options.ts).
interface SessionClaims {
  uid: string;
  role: Role;
  level: UserLevel;
  teamId: string | null;
  allSites: boolean;
  siteIds: string[];
}

declare module 'next-auth' {
  interface Session {
    user: SessionClaims & { name: string; email: string };
  }
}

declare module 'next-auth/jwt' {
  interface JWT extends Partial<SessionClaims> {
    /** When the claims were last read from the database, in epoch milliseconds. */
    checkedAt?: number;
  }
}
