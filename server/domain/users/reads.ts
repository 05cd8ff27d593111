import type { Db, Tx } from '../../db/client';
import type { SessionUser } from './types';

const SESSION_SELECT = {
  id: true,
  email: true,
  name: true,
  role: true,
  level: true,
  teamId: true,
  allSites: true,
  active: true,
  sites: { select: { siteId: true } },
} as const;

/** The signed-in user as the database has them now, or null when gone or deactivated. */
export async function loadSessionUser(db: Db | Tx, userId: string): Promise<SessionUser | null> {
  const user = await db.user.findUnique({ where: { id: userId }, select: SESSION_SELECT });
  if (!user || !user.active) return null;

  const { sites, active: _active, ...rest } = user;

  return { ...rest, siteIds: sites.map((s) => s.siteId) };
}

export async function listUsers(db: Db) {
  const users = await db.user.findMany({
    orderBy: [{ active: 'desc' }, { name: 'asc' }],
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      level: true,
      teamId: true,
      allSites: true,
      active: true,
      lastLoginAt: true,
      createdAt: true,
      team: { select: { id: true, name: true, kind: true } },
      sites: { select: { site: { select: { id: true, code: true } } } },
    },
  });

  return users.map(({ sites, ...user }) => ({ ...user, sites: sites.map((s) => s.site) }));
}

export type UserListItem = Awaited<ReturnType<typeof listUsers>>[number];

/** The teams and sites an admin can assign, for the user form. */
export async function userFormOptions(db: Db) {
  const [sites, teams] = await Promise.all([
    db.site.findMany({
      where: { active: true },
      orderBy: { code: 'asc' },
      select: { id: true, code: true, name: true },
    }),
    db.team.findMany({
      orderBy: [{ site: { code: 'asc' } }, { name: 'asc' }],
      select: { id: true, name: true, kind: true, siteId: true, site: { select: { code: true } } },
    }),
  ]);

  return { sites, teams };
}
