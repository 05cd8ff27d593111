import { getServerSession } from 'next-auth';
import { cache } from 'react';
import { prisma } from '../db/client';
import { loadSessionUser } from '../domain/users/reads';
import type { SessionUser } from '../domain/users/types';
import { authOptions } from './options';

/**
 * The signed-in user as the database has them now, or null. A cookie for a user who has since
 * been deactivated or removed yields null, whatever the token still claims. Memoised per request.
 */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions);
  const userId = session?.user?.uid;
  if (!userId) return null;

  return loadSessionUser(prisma, userId);
});
