import type { NextAuthOptions, User } from 'next-auth';
import type { JWT } from 'next-auth/jwt';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { prisma } from '../db/client';
import { Role } from '../db/generated/enums';
import { logger } from '../lib/logger';
import { loadSessionUser } from '../domain/users/reads';
import { authenticate, type AuthenticationResult } from './credentials';
import { DEMO_PASSWORD, demoUserFor } from './demo-users';
import { isDemoWorld } from './demo-world';

const log = logger('next-auth');

// The JWT callback runs on every session read (getServerSession, /api/auth/session) and reads the
// user afresh each time: one primary-key lookup. A removed or deactivated user, or one whose role
// or sites changed, is seen at the next request, whatever the cookie still claims.
const SESSION_MAX_AGE_S = 12 * 60 * 60;

/** The error code the login form sees for a correct password on a deactivated account. */
export const INACTIVE_ERROR = 'AccountInactive';

class SessionRevokedError extends Error {
  constructor() {
    super('session revoked: the user is gone or deactivated');
  }
}

function toUser(result: AuthenticationResult): User | null {
  if (result.ok) return { id: result.userId, email: result.email, name: result.name };
  if (result.reason === 'inactive') throw new Error(INACTIVE_ERROR);

  return null;
}

const passwordCredentials = z.object({
  email: z.string().max(320),
  password: z.string().max(1024),
});
const demoCredentials = z.object({ role: z.enum(Role) });

async function authorizePassword(raw: unknown): Promise<User | null> {
  const parsed = passwordCredentials.safeParse(raw);
  if (!parsed.success) return null;

  return toUser(await authenticate(prisma, parsed.data.email, parsed.data.password));
}

// The demo buttons sign in by role, only while the demo world exists and only while that role's
// demo user still has the published demo password.
async function authorizeDemo(raw: unknown): Promise<User | null> {
  const parsed = demoCredentials.safeParse(raw);
  const demoUser = parsed.success ? demoUserFor(parsed.data.role) : undefined;
  if (!demoUser || !(await isDemoWorld(prisma))) return null;

  return toUser(await authenticate(prisma, demoUser.email, DEMO_PASSWORD));
}

async function refreshClaims(token: JWT, user: User | undefined): Promise<JWT> {
  const userId = user?.id ?? token.uid;
  if (!userId) throw new SessionRevokedError();

  const fresh = await loadSessionUser(prisma, userId);
  if (!fresh) throw new SessionRevokedError();
  const { id, email, name, ...claims } = fresh;

  return { ...token, sub: id, uid: id, email, name, ...claims };
}

export const authOptions: NextAuthOptions = {
  session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: '/login', error: '/login' },
  providers: [
    CredentialsProvider({
      id: 'credentials',
      name: 'E-mail and password',
      credentials: { email: { type: 'email' }, password: { type: 'password' } },
      authorize: authorizePassword,
    }),
    CredentialsProvider({
      id: 'demo',
      name: 'Demo login',
      credentials: { role: { type: 'text' } },
      authorize: authorizeDemo,
    }),
  ],
  callbacks: {
    jwt: ({ token, user }) => refreshClaims(token, user),
    session: ({ session, token }) => ({
      ...session,
      user: {
        uid: token.uid!,
        name: token.name ?? '',
        email: token.email ?? '',
        role: token.role!,
        level: token.level!,
        teamId: token.teamId ?? null,
        allSites: token.allSites ?? false,
        siteIds: token.siteIds ?? [],
      },
    }),
  },
  logger: {
    error(code, metadata) {
      // A revoked session is an expected outcome, not a fault.
      const cause = metadata instanceof Error ? metadata : (metadata as { error?: unknown }).error;
      if (cause instanceof SessionRevokedError)
        log.info('session refused: user gone or deactivated');
      else log.error({ code, err: metadata }, 'next-auth error');
    },
    warn(code) {
      log.warn({ code }, 'next-auth warning');
    },
    debug(code) {
      log.debug({ code }, 'next-auth debug');
    },
  },
};
