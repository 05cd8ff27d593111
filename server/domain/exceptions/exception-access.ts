import type { Tx } from '../../db/client';
import { AppError } from '../../lib/errors';
import { canActOnException, type ActingUser, type ExceptionAccess } from './permissions';

// Loads what canActOnException decides on, re-read from the database inside the transaction of
// the action (a role or an escalation may have changed since the page was loaded).

export async function loadActingUser(tx: Tx, userId: string): Promise<ActingUser | null> {
  const user = await tx.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      role: true,
      level: true,
      teamId: true,
      allSites: true,
      active: true,
      sites: { select: { siteId: true } },
    },
  });
  if (!user?.active) return null;

  return { ...user, siteIds: user.sites.map((s) => s.siteId) };
}

export async function loadExceptionAccess(
  tx: Tx,
  exceptionId: string,
): Promise<ExceptionAccess | null> {
  const e = await tx.exception.findUnique({
    where: { id: exceptionId },
    select: {
      siteId: true,
      teamId: true,
      ownerTeam: true,
      assigneeId: true,
      escalations: { select: { recipientIds: true } },
    },
  });
  if (!e) return null;

  return { ...e, escalatedTo: [...new Set(e.escalations.flatMap((x) => x.recipientIds))] };
}

export async function assertCanAct(tx: Tx, userId: string, exceptionId: string): Promise<void> {
  const [user, access] = await Promise.all([
    loadActingUser(tx, userId),
    loadExceptionAccess(tx, exceptionId),
  ]);
  if (!access) throw new AppError('NOT_FOUND', `No exception ${exceptionId}`);
  if (!user || !canActOnException(user, access)) {
    throw new AppError('FORBIDDEN', 'You may not act on this exception');
  }
}
