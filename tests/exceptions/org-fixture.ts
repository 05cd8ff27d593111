import { randomBytes } from 'node:crypto';
import type { Db } from '../../server/db/client';
import type { Role, TeamKind, UserLevel } from '../../server/db/generated/enums';
import { setTimers } from '../../server/domain/sla/schedule';
import { planClock } from '../../server/domain/sla/start-clock';

// A site of its own for the exception tests: a business calendar (weekday hours, optional US
// holidays, or round the clock), warehouse, dispatch and admin teams, and the people of the
// escalation ladder: two dispatch members, the dispatch lead, the site manager and an executive
// who sees the site. Codes carry a suffix so that sites in one shared database never meet.

export interface OrgOptions {
  timeZone?: string;
  alwaysOpen?: boolean;
  holidays?: boolean;
  /** Local minutes, Monday to Friday; default 08:00-17:00. */
  hours?: [number, number];
}

export interface Org {
  suffix: string;
  calendarId: string;
  siteId: string;
  siteCode: string;
  timeZone: string;
  teams: Record<'WAREHOUSE' | 'DISPATCH' | 'ADMIN', string>;
  users: Record<'member1' | 'member2' | 'lead' | 'manager' | 'exec' | 'outsider', string>;
}

async function createUser(
  db: Db,
  s: string,
  name: string,
  role: Role,
  level: UserLevel,
  teamId: string | null,
  siteIds: string[],
): Promise<string> {
  const user = await db.user.create({
    data: {
      email: `${name}-${s}@example.test`.toLowerCase(),
      name: `${name} ${s}`,
      passwordHash: 'not-a-hash',
      role,
      level,
      teamId,
      sites: { create: siteIds.map((siteId) => ({ siteId })) },
    },
    select: { id: true },
  });

  return user.id;
}

export async function createOrg(db: Db, o: OrgOptions = {}): Promise<Org> {
  const s = randomBytes(4).toString('hex').toUpperCase();
  const timeZone = o.timeZone ?? 'America/Los_Angeles';
  const [opens, closes] = o.hours ?? [480, 1020];
  const calendar = await db.businessCalendar.create({
    data: {
      code: `XCAL-${s}`,
      name: `Calendar ${s}`,
      timeZone,
      alwaysOpen: o.alwaysOpen ?? false,
      holidayCountry: o.holidays ? 'US' : null,
      workingHours: {
        create: [1, 2, 3, 4, 5].map((weekday) => ({
          weekday,
          opensMinute: opens,
          closesMinute: closes,
        })),
      },
    },
  });
  const kinds: TeamKind[] = ['WAREHOUSE', 'DISPATCH', 'ADMIN'];
  const site = await db.site.create({
    data: {
      code: `XS-${s}`,
      name: `Site ${s}`,
      timeZone,
      calendarId: calendar.id,
      city: 'Testville',
      country: 'US',
      teams: { create: kinds.map((kind) => ({ kind, name: `${kind} ${s}` })) },
    },
    include: { teams: true },
  });
  const team = (kind: TeamKind) => site.teams.find((t) => t.kind === kind)!.id;
  const teams = { WAREHOUSE: team('WAREHOUSE'), DISPATCH: team('DISPATCH'), ADMIN: team('ADMIN') };
  const at = [site.id];
  const users = {
    member1: await createUser(db, s, 'member1', 'DISPATCHER', 'MEMBER', teams.DISPATCH, at),
    member2: await createUser(db, s, 'member2', 'DISPATCHER', 'MEMBER', teams.DISPATCH, at),
    lead: await createUser(db, s, 'lead', 'DISPATCHER', 'TEAM_LEAD', teams.DISPATCH, at),
    manager: await createUser(db, s, 'manager', 'WAREHOUSE_SUPERVISOR', 'SITE_MANAGER', null, at),
    exec: await createUser(db, s, 'exec', 'EXECUTIVE', 'MEMBER', null, at),
    outsider: await createUser(db, s, 'outsider', 'BILLING_ANALYST', 'MEMBER', null, []),
  };

  return {
    suffix: s,
    calendarId: calendar.id,
    siteId: site.id,
    siteCode: site.code,
    timeZone,
    teams,
    users,
  };
}

let counter = 0;

/** A dispatch exception at the org's site (no shipment), opened at `now`. */
export function dispatchException(org: Org, severity: 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL') {
  counter += 1;

  return {
    type: 'CAPACITY' as const,
    severity,
    ownerTeam: 'DISPATCH' as const,
    siteId: org.siteId,
    dedupeKey: `test:${org.suffix}:${counter}`,
    title: `No capacity ${org.suffix}-${counter}`,
  };
}

export async function jobOf(db: Db, key: string) {
  const rows = await db.$queryRaw<{ task: string; run_at: Date }[]>`
    SELECT task_identifier AS task, run_at FROM graphile_worker.jobs WHERE key = ${key}`;

  return rows[0] ?? null;
}

/** The exception's SLA timer, with the run_at of a sweep job for its due second (null if none). */
export async function timerOf(db: Db, exceptionId: string) {
  const rows = await db.$queryRaw<{ dueAt: Date; level: number; sweepAt: Date | null }[]>`
    SELECT t.due_at AS "dueAt", t.level::int AS level,
      (SELECT max(j.run_at) FROM graphile_worker.jobs AS j
       WHERE j.task_identifier = 'sla_sweep'
         AND j.run_at = to_timestamp(ceil(extract(epoch FROM t.due_at)))) AS "sweepAt"
    FROM sla_timers AS t WHERE t.exception_id = ${exceptionId}::uuid`;

  return rows[0] ?? null;
}

/**
 * `n` open dispatch exceptions of `org` opened at `openedAt`, written in bulk as openException
 * writes them (the clock planned by the product's planClock, assignees taking turns, timers set
 * by its setTimers): opening a thousand one by one takes seconds on a busy machine.
 */
export async function openExceptionsInBulk(
  db: Db,
  org: Org,
  n: number,
  openedAt: Date,
): Promise<string[]> {
  return db.$transaction(async (tx) => {
    const subject = dispatchException(org, 'CRITICAL');
    const clock = await planClock(
      tx,
      { ...subject, shipmentId: null, siteId: org.siteId },
      openedAt,
    );
    const members = [org.users.member1, org.users.member2];
    const rows = Array.from({ length: n }, (_, k) => ({
      ...dispatchException(org, 'CRITICAL'),
      teamId: org.teams.DISPATCH,
      assigneeId: members[k % members.length]!,
      assignedAt: openedAt,
      openedAt,
      slaStartedAt: openedAt,
      slaPolicyId: clock.policyId,
      firstResponseDueAt: clock.firstResponseDueAt,
      resolutionDueAt: clock.resolutionDueAt,
    }));
    const created = await tx.exception.createManyAndReturn({ data: rows, select: { id: true } });
    await setTimers(
      tx,
      created.map(({ id }) => ({ exceptionId: id, cycle: 0, next: clock.nextTimer })),
    );

    return created.map((c) => c.id);
  });
}

/** A policy of one business minute to a critical dispatch exception's first response. */
export async function oneMinuteFirstResponse(db: Db, escalationStepMinutes?: number) {
  await db.slaPolicy.create({
    data: {
      exceptionType: 'CAPACITY',
      severity: 'CRITICAL',
      firstResponseValue: 1,
      resolutionValue: 240,
      ...(escalationStepMinutes !== undefined && { escalationStepMinutes }),
    },
  });
}
