import { getServerSession } from 'next-auth';
import { cache } from 'react';
import type { SessionUser } from '../domain/users/types';
import { authOptions } from './options';

/**
 * The signed-in user, or null. next-auth's JWT callback has just read them from the database
 * (server/auth/options.ts), so a cookie of a deactivated or removed user yields null and a
 * changed role or site list shows at once. Memoised per request.
 */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions);
  if (!session?.user?.uid) return null;

  const { uid, ...claims } = session.user;

  return { id: uid, ...claims };
});
