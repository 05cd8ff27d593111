import type { NextAuthOptions, User } from 'next-auth';
import type { JWT } from 'next-auth/jwt';
import CredentialsProvider from 'next-auth/providers/credentials';
import { prisma } from '../db/client';
import { logger } from '../lib/logger';
import { loadSessionUser } from '../domain/users/reads';
import { authorizeDemo, authorizePassword } from './authorize';

const log = logger('next-auth');

// A session lasts a long shift; then the user signs in again.
const SESSION_MAX_AGE_S = 12 * 60 * 60;

class SessionRevokedError extends Error {
  constructor() {
    super('session revoked: the user is gone or deactivated');
  }
}

// The JWT callback runs on every session read (getServerSession, /api/auth/session) and reads the
// user afresh each time: one primary-key lookup. A removed or deactivated user, or one whose role
// or sites changed, is seen at the next request, whatever the cookie still claims.
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
      authorize: (credentials) => authorizePassword(prisma, credentials),
    }),
    CredentialsProvider({
      id: 'demo',
      name: 'Demo login',
      credentials: { role: { type: 'text' } },
      authorize: (credentials) => authorizeDemo(prisma, credentials),
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
