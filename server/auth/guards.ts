import { redirect } from 'next/navigation';
import type { Role } from '../db/generated/enums';
import type { SessionUser } from '../domain/users/types';
import { getSessionUser } from './session';

// Checks for server pages. The proxy turns most wrong visits away from the cookie alone; these
// repeat the check against the database, because a cookie can outlive a role or an account.

export async function requireUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect('/login');

  return user;
}

export async function requireRole(role: Role): Promise<SessionUser> {
  const user = await requireUser();
  if (user.role !== role) redirect('/forbidden');

  return user;
}
