import { randomUUID } from 'node:crypto';
import type { Prisma } from '../db/generated/client';
import type { Role, TeamKind, UserLevel } from '../db/generated/enums';
import { DEMO_USERS } from '../auth/demo-users';
import { type CalendarSpec, OpenCalendar } from './calendars';
import type { Rng } from './rng';
import type { RowSet } from './rows';
import type { SiteInfo, TeamInfo } from './types';
import { FIRST_NAMES, LAST_NAMES } from './world-names';
import { SITE_SPECS, type SiteSpec, WAREHOUSE_HOURS } from './world-sites';

// Calendars, sites, teams and the people who work them.

export interface OrgContext {
  rng: Rng;
  rows: RowSet;
  now: Date;
  calendarFrom: Date;
  calendarTo: Date;
  passwordHash: string;
}

const TEAM_KINDS: TeamKind[] = ['WAREHOUSE', 'DISPATCH', 'BILLING', 'ADMIN'];
const ROLE_OF_TEAM: Record<TeamKind, Role> = {
  WAREHOUSE: 'WAREHOUSE_SUPERVISOR',
  DISPATCH: 'DISPATCHER',
  BILLING: 'BILLING_ANALYST',
  ADMIN: 'ADMIN',
};
/** Levels of each team's generated members; the site manager runs the warehouse floor. */
const TEAM_LEVELS: Record<TeamKind, UserLevel[]> = {
  WAREHOUSE: ['SITE_MANAGER', 'TEAM_LEAD', 'MEMBER', 'MEMBER'],
  DISPATCH: ['TEAM_LEAD', 'MEMBER', 'MEMBER'],
  BILLING: ['TEAM_LEAD', 'MEMBER'],
  ADMIN: ['TEAM_LEAD', 'MEMBER'],
};
const DEMO_LEADS = new Set<TeamKind>(['WAREHOUSE', 'DISPATCH', 'BILLING']);

export type SiteShell = Omit<SiteInfo, 'zones' | 'routes' | 'routeOfZone' | 'docks' | 'vehicles'>;

/** A stocktake Saturday a few weeks back, so that one calendar shows an explicit closure. */
function stocktakeDate(now: Date): string {
  const d = new Date(now.getTime() - 40 * 86_400_000);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 1) % 7));

  return d.toISOString().slice(0, 10);
}

function calendarSpecOf(spec: SiteSpec, now: Date, index: number): CalendarSpec {
  const alwaysOpen = spec.kind === 'CROSS_DOCK';

  return {
    code: `CAL-${spec.code}`,
    name: `${spec.name} hours`,
    timeZone: spec.timeZone,
    alwaysOpen,
    ...(alwaysOpen ? {} : { holidayCountry: 'US', holidayState: spec.holidayState }),
    hours: alwaysOpen ? [] : WAREHOUSE_HOURS,
    closures: index === 0 ? [{ date: stocktakeDate(now), name: 'Annual stocktake' }] : [],
  };
}

function addCalendar(ctx: OrgContext, spec: CalendarSpec): string {
  const id = randomUUID();
  ctx.rows.add<Prisma.BusinessCalendarCreateManyInput>('business_calendars', {
    id,
    code: spec.code,
    name: spec.name,
    timeZone: spec.timeZone,
    alwaysOpen: spec.alwaysOpen,
    holidayCountry: spec.holidayCountry ?? null,
    holidayState: spec.holidayState ?? null,
    updatedAt: ctx.now,
  });
  for (const h of spec.hours) {
    ctx.rows.add<Prisma.WorkingHoursCreateManyInput>('working_hours', {
      id: randomUUID(),
      calendarId: id,
      ...h,
    });
  }
  for (const c of spec.closures) {
    ctx.rows.add<Prisma.CalendarClosureCreateManyInput>('calendar_closures', {
      id: randomUUID(),
      calendarId: id,
      date: new Date(`${c.date}T00:00:00.000Z`),
      name: c.name,
    });
  }

  return id;
}

function addSite(ctx: OrgContext, spec: SiteSpec, index: number): SiteShell {
  const calendarSpec = calendarSpecOf(spec, ctx.now, index);
  const calendarId = addCalendar(ctx, calendarSpec);
  const id = randomUUID();
  ctx.rows.add<Prisma.SiteCreateManyInput>('sites', {
    id,
    code: spec.code,
    name: spec.name,
    kind: spec.kind,
    timeZone: spec.timeZone,
    calendarId,
    addressLine: spec.addressLine,
    city: spec.city,
    region: spec.region,
    postalCode: spec.postalCode,
    country: 'US',
    currency: 'USD',
    updatedAt: ctx.now,
  });

  return {
    id,
    code: spec.code,
    kind: spec.kind,
    timeZone: spec.timeZone,
    calendar: new OpenCalendar(calendarSpec, ctx.calendarFrom, ctx.calendarTo),
    share: spec.share,
    fuelRegion: spec.fuelRegion,
    taxCode: spec.taxCode,
    teams: addTeams(ctx, spec.code, id),
  };
}

/** The four teams of a site: warehouse, dispatch, billing and admin. */
function addTeams(ctx: OrgContext, siteCode: string, siteId: string): Record<TeamKind, TeamInfo> {
  const teams = {} as Record<TeamKind, TeamInfo>;
  for (const kind of TEAM_KINDS) {
    const team: TeamInfo = { id: randomUUID(), kind, memberIds: [] };
    const name = `${siteCode} ${kind.charAt(0)}${kind.slice(1).toLowerCase()}`;
    ctx.rows.add<Prisma.TeamCreateManyInput>('teams', { id: team.id, siteId, kind, name });
    teams[kind] = team;
  }

  return teams;
}

class People {
  private readonly used = new Set<string>();

  constructor(private readonly rng: Rng) {}

  next(domain: string): { name: string; email: string } {
    for (let attempt = 0; ; attempt += 1) {
      const first = this.rng.pick(FIRST_NAMES);
      const last = this.rng.pick(LAST_NAMES);
      const suffix = attempt > 20 ? String(attempt) : '';
      const email = `${first}.${last}${suffix}@${domain}`.toLowerCase();
      if (this.used.has(email)) continue;
      this.used.add(email);

      return { name: `${first} ${last}`, email };
    }
  }
}

interface UserSpec {
  email: string;
  name: string;
  role: Role;
  level: UserLevel;
  teamId: string | null;
  allSites: boolean;
  siteIds: string[];
}

function addUser(ctx: OrgContext, user: UserSpec): string {
  const id = randomUUID();
  ctx.rows.add<Prisma.UserCreateManyInput>('users', {
    id,
    email: user.email,
    name: user.name,
    passwordHash: ctx.passwordHash,
    role: user.role,
    level: user.level,
    teamId: user.teamId,
    allSites: user.allSites,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  });
  for (const siteId of user.siteIds)
    ctx.rows.add<Prisma.UserSiteCreateManyInput>('user_sites', { userId: id, siteId });

  return id;
}

function addStaff(ctx: OrgContext, people: People, site: SiteShell, first: boolean): void {
  for (const kind of TEAM_KINDS) {
    const team = site.teams[kind];
    // On the first warehouse the demo user of this team is its lead, so one lead per team.
    const levels = TEAM_LEVELS[kind].map((level) =>
      first && DEMO_LEADS.has(kind) && level === 'TEAM_LEAD' ? 'MEMBER' : level,
    );
    for (const level of levels) {
      const person = people.next(`${site.code.toLowerCase()}.demo.example`);
      const role = ROLE_OF_TEAM[kind];
      team.memberIds.push(
        addUser(ctx, {
          ...person,
          role,
          level,
          teamId: team.id,
          allSites: false,
          siteIds: [site.id],
        }),
      );
    }
  }
}

function addDemoUsers(ctx: OrgContext, sites: SiteShell[]): Record<Role, string> {
  const home = sites[0] as SiteShell;
  const teamOfRole: Partial<Record<Role, TeamInfo>> = {
    WAREHOUSE_SUPERVISOR: home.teams.WAREHOUSE,
    DISPATCHER: home.teams.DISPATCH,
    BILLING_ANALYST: home.teams.BILLING,
    ADMIN: home.teams.ADMIN,
  };
  const ids = {} as Record<Role, string>;
  for (const demo of DEMO_USERS) {
    const team = teamOfRole[demo.role];
    const wide = demo.role === 'EXECUTIVE' || demo.role === 'ADMIN';
    const level: UserLevel = team && DEMO_LEADS.has(team.kind) ? 'TEAM_LEAD' : 'MEMBER';
    // The floor roles see every site through user_sites rather than allSites, so that the
    // demo exercises site scoping while still showing all four boards.
    const siteIds = wide ? [] : sites.map((s) => s.id);
    const id = addUser(ctx, { ...demo, level, teamId: team?.id ?? null, allSites: wide, siteIds });
    team?.memberIds.push(id);
    ids[demo.role] = id;
  }

  return ids;
}

export function buildOrg(ctx: OrgContext): {
  sites: SiteShell[];
  demoUserIds: Record<Role, string>;
} {
  const sites = SITE_SPECS.map((spec, index) => addSite(ctx, spec, index));
  const people = new People(ctx.rng);
  sites.forEach((site, index) => addStaff(ctx, people, site, index === 0));
  for (let i = 0; i < 2; i += 1) {
    const person = people.next('hq.demo.example');
    addUser(ctx, {
      ...person,
      role: 'EXECUTIVE',
      level: 'MEMBER',
      teamId: null,
      allSites: true,
      siteIds: [],
    });
  }
  const demoUserIds = addDemoUsers(ctx, sites);

  return { sites, demoUserIds };
}
