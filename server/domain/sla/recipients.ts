import type { Tx } from '../../db/client';
import type { Level } from './ladder';

// Who each ladder level reaches, active users only: 1 the assignee (the team's members while
// nobody is assigned), 2 the team's leads, 3 the site's managers (by team or site access),
// 4 the executives who see the site. A level that finds nobody still fires, with no one told,
// and the ladder goes on to the next level at its own time.

export interface LadderSubject {
  siteId: string;
  teamId: string | null;
  assigneeId: string | null;
}

export async function recipientsFor(tx: Tx, e: LadderSubject, level: Level): Promise<string[]> {
  const byTeam = level === 2 || (level === 1 && !e.assigneeId);
  if (byTeam && !e.teamId) return [];
  const rows = await tx.user.findMany({ where: whereFor(e, level), select: { id: true } });

  return rows.map((r) => r.id).sort();
}

function whereFor(e: LadderSubject, level: Level) {
  const teamId = e.teamId ?? undefined;
  const atSite = [{ team: { siteId: e.siteId } }, { sites: { some: { siteId: e.siteId } } }];
  switch (level) {
    case 1:
      if (e.assigneeId) return { id: e.assigneeId, active: true };

      return { teamId, active: true };
    case 2:
      return { teamId, level: 'TEAM_LEAD' as const, active: true };
    case 3:
      return { level: 'SITE_MANAGER' as const, active: true, OR: atSite };
    case 4:
      return {
        role: 'EXECUTIVE' as const,
        active: true,
        OR: [{ allSites: true }, { sites: { some: { siteId: e.siteId } } }],
      };
  }
}
