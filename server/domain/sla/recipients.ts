import type { Tx } from '../../db/client';
import type { Level } from './ladder';

// Who each ladder level reaches, active users only: 1 the assignee (the team's members while
// nobody is assigned), 2 the team's leads, 3 the site's managers (by team or site access),
// 4 the executives who see the site. A level that finds nobody still fires, with no one told,
// and the ladder goes on to the next level at its own time. Read for many exceptions at once:
// one query per kind of recipient, whatever the number of exceptions a sweep fires.

export interface LadderSubject {
  siteId: string;
  teamId: string | null;
  assigneeId: string | null;
}

export async function recipientsFor(tx: Tx, e: LadderSubject, level: Level): Promise<string[]> {
  const [ids] = await recipientsForMany(tx, [{ ...e, level }]);

  return ids!;
}

type Who = LadderSubject & { level: Level };

/** The recipients of each (subject, level), in the order given, each list sorted. */
export async function recipientsForMany(tx: Tx, asks: readonly Who[]): Promise<string[][]> {
  const wanted = { assignees: new Set<string>(), members: new Set<string>() };
  const leads = new Set<string>();
  const managerSites = new Set<string>();
  const execSites = new Set<string>();
  for (const a of asks) {
    if (a.level === 1 && a.assigneeId) wanted.assignees.add(a.assigneeId);
    else if (a.level === 1 && a.teamId) wanted.members.add(a.teamId);
    else if (a.level === 2 && a.teamId) leads.add(a.teamId);
    else if (a.level === 3) managerSites.add(a.siteId);
    else if (a.level === 4) execSites.add(a.siteId);
  }
  const [assignees, members, teamLeads, managers, execs] = await Promise.all([
    activeAssignees(tx, wanted.assignees),
    byTeam(tx, wanted.members, false),
    byTeam(tx, leads, true),
    siteManagers(tx, managerSites),
    executives(tx, execSites),
  ]);

  return asks.map((a) => {
    switch (a.level) {
      case 1:
        if (a.assigneeId) return assignees.has(a.assigneeId) ? [a.assigneeId] : [];

        return a.teamId ? (members.get(a.teamId) ?? []) : [];
      case 2:
        return a.teamId ? (teamLeads.get(a.teamId) ?? []) : [];
      case 3:
        return managers.get(a.siteId) ?? [];
      case 4:
        return execs(a.siteId);
    }
  });
}

async function activeAssignees(tx: Tx, ids: Set<string>): Promise<Set<string>> {
  if (ids.size === 0) return new Set();
  const rows = await tx.user.findMany({
    where: { id: { in: [...ids] }, active: true },
    select: { id: true },
  });

  return new Set(rows.map((r) => r.id));
}

async function byTeam(tx: Tx, teamIds: Set<string>, leadsOnly: boolean) {
  if (teamIds.size === 0) return new Map<string, string[]>();
  const rows = await tx.user.findMany({
    where: {
      teamId: { in: [...teamIds] },
      active: true,
      ...(leadsOnly ? { level: 'TEAM_LEAD' as const } : {}),
    },
    select: { id: true, teamId: true },
  });

  return grouped(rows.map((r) => [r.teamId!, r.id]));
}

async function siteManagers(tx: Tx, siteIds: Set<string>) {
  if (siteIds.size === 0) return new Map<string, string[]>();
  const sites = [...siteIds];
  const rows = await tx.user.findMany({
    where: {
      level: 'SITE_MANAGER',
      active: true,
      OR: [{ team: { siteId: { in: sites } } }, { sites: { some: { siteId: { in: sites } } } }],
    },
    select: { id: true, team: { select: { siteId: true } }, sites: { select: { siteId: true } } },
  });

  return grouped(
    rows.flatMap((r) =>
      [r.team?.siteId, ...r.sites.map((s) => s.siteId)]
        .filter((s): s is string => s !== undefined && siteIds.has(s))
        .map((s) => [s, r.id] as [string, string]),
    ),
  );
}

async function executives(tx: Tx, siteIds: Set<string>) {
  if (siteIds.size === 0) return () => [];
  const sites = [...siteIds];
  const rows = await tx.user.findMany({
    where: {
      role: 'EXECUTIVE',
      active: true,
      OR: [{ allSites: true }, { sites: { some: { siteId: { in: sites } } } }],
    },
    select: { id: true, allSites: true, sites: { select: { siteId: true } } },
  });
  const everywhere = rows.filter((r) => r.allSites).map((r) => r.id);
  const bySite = grouped(
    rows.flatMap((r) => r.sites.map((s) => [s.siteId, r.id] as [string, string])),
  );

  return (siteId: string) => [...new Set([...everywhere, ...(bySite.get(siteId) ?? [])])].sort();
}

function grouped(pairs: readonly [string, string][]): Map<string, string[]> {
  const map = new Map<string, Set<string>>();
  for (const [key, id] of pairs) {
    const set = map.get(key) ?? new Set<string>();
    set.add(id);
    map.set(key, set);
  }

  return new Map([...map].map(([key, set]) => [key, [...set].sort()]));
}
