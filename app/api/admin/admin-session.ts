import { prisma } from '@/server/db/client';
import { getSessionUser } from '@/server/auth/session';
import type { ImportScope } from '@/server/domain/imports/types';
import type { UserActor } from '@/server/domain/users/types';
import { AppError } from '@/server/lib/errors';

// The admin routes that take files authenticate themselves, as tRPC does: the session, then the
// role and active flag read once more from the database, since these requests write.
export async function requireAdminSession(
  requestId: string,
): Promise<{ actor: UserActor; scope: ImportScope }> {
  const user = await getSessionUser();
  if (!user) throw new AppError('UNAUTHORIZED', 'sign in first');
  const current = await prisma.user.findUnique({
    where: { id: user.id },
    select: { role: true, active: true },
  });
  if (!current?.active || current.role !== 'ADMIN') {
    throw new AppError('FORBIDDEN', 'only administrators may upload files');
  }

  return {
    actor: { userId: user.id, requestId },
    scope: { allSites: user.allSites, siteIds: user.siteIds },
  };
}
