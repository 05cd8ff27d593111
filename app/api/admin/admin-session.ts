import { prisma } from '@/server/db/client';
import { getSessionUser } from '@/server/auth/session';
import type { ImportScope, ImportViewer } from '@/server/domain/imports/types';
import type { UserActor } from '@/server/domain/users/types';
import { AppError } from '@/server/lib/errors';

// The routes that take and give files authenticate themselves, as tRPC does: the session, then
// the role and active flag read once more from the database, since these requests write. Admins
// and warehouse supervisors (within their sites) import CSV; only admins upload X12 and EPCIS.
export async function requireImporterSession(
  requestId: string,
): Promise<{ actor: UserActor; viewer: ImportViewer; scope: ImportScope }> {
  const user = await getSessionUser();
  if (!user) throw new AppError('UNAUTHORIZED', 'sign in first');
  const current = await prisma.user.findUnique({
    where: { id: user.id },
    select: { role: true, active: true },
  });
  const role = current?.role;
  if (!current?.active || (role !== 'ADMIN' && role !== 'WAREHOUSE_SUPERVISOR')) {
    throw new AppError('FORBIDDEN', 'only administrators and warehouse supervisors import files');
  }

  return {
    actor: { userId: user.id, requestId },
    viewer: { userId: user.id, role },
    scope: { allSites: user.allSites, siteIds: user.siteIds },
  };
}
