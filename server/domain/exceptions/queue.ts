import { z } from 'zod';
import type { Db } from '../../db/client';
import type { Prisma } from '../../db/generated/client';
import { isOpen } from '../../lib/business-time';
import { AppError } from '../../lib/errors';
import { writeAudit } from '../audit/write-audit';
import { loadSiteCalendar, type SiteCalendar } from '../sla/calendar';
import { isDueToday, slaStateOf, type SlaStateInput, type SlaView } from '../sla/sla-state';
import { siteFilter } from '../users/site-scope';
import type { SessionUser } from '../users/types';
import { assertCanAct } from './exception-access';
import { ACTIVE_STATUSES } from './status-machine';
import { TEAM_OF_ROLE } from './permissions';
import { ExceptionStatus, ExceptionType, Severity } from '../../db/generated/enums';

// The workbench's reads: a team's queue at its people's sites, plus whatever was assigned or
// escalated to the reader, each row with its SLA clocks as the site's calendar has them now.
// Claiming an exception ("assign to me") lives here too, as the queue's one write of its own.

const EXCEPTION_STATUSES = Object.values(ExceptionStatus);
const EXCEPTION_TYPES = Object.values(ExceptionType);
const SEVERITIES = Object.values(Severity);
const QUEUE_LIMIT = 200;

export const queueInput = z.object({
  /** ACTIVE: OPEN, ACKNOWLEDGED and WAITING. */
  status: z.enum([...EXCEPTION_STATUSES, 'ACTIVE']).default('ACTIVE'),
  type: z.enum(EXCEPTION_TYPES).optional(),
  severity: z.enum(SEVERITIES).optional(),
  siteId: z.uuid().optional(),
  mine: z.boolean().default(false),
  breached: z.boolean().default(false),
});
export type QueueInput = z.input<typeof queueInput>;

/** Whose queue: the team's at the user's sites, and anything assigned or escalated to the user. */
function reachOf(user: SessionUser): Prisma.ExceptionWhereInput {
  const team = TEAM_OF_ROLE[user.role];
  const reach: Prisma.ExceptionWhereInput[] = [
    { assigneeId: user.id },
    { escalations: { some: { recipientIds: { has: user.id } } } },
  ];
  if (team) reach.push({ ownerTeam: team, ...siteFilter(user) });

  return { OR: reach };
}

// A breach needs a due time before now: the database narrows to those, slaStateOf decides.
function maybeBreached(now: Date): Prisma.ExceptionWhereInput {
  return { OR: [{ firstResponseDueAt: { lt: now } }, { resolutionDueAt: { lt: now } }] };
}

function whereOf(user: SessionUser, input: z.output<typeof queueInput>, now: Date) {
  const status =
    input.status === 'ACTIVE' ? { in: [...ACTIVE_STATUSES] } : { equals: input.status };
  const where: Prisma.ExceptionWhereInput = {
    AND: input.breached ? [reachOf(user), maybeBreached(now)] : [reachOf(user)],
    status,
    type: input.type,
    severity: input.severity,
    siteId: input.siteId,
    assigneeId: input.mine ? user.id : undefined,
  };

  return where;
}

export interface ClockNow {
  sla: SlaView | null;
  /** Whether the site's business clock runs right now: the client ticks the countdown if so. */
  ticking: boolean;
  firstResponseDueToday: boolean;
  resolutionDueToday: boolean;
}

export function clockNow(calendar: SiteCalendar | null, e: SlaStateInput, now: Date): ClockNow {
  if (!calendar) {
    return { sla: null, ticking: false, firstResponseDueToday: false, resolutionDueToday: false };
  }
  const sla = slaStateOf(calendar.spec, e, now);
  const zone = calendar.spec.timeZone;

  return {
    sla,
    ticking: !sla.paused && isOpen(calendar.spec, now),
    firstResponseDueToday: !sla.firstResponse.metAt && isDueToday(zone, e.firstResponseDueAt, now),
    resolutionDueToday: !sla.resolution.metAt && isDueToday(zone, e.resolutionDueAt, now),
  };
}

async function calendarsOf(db: Db, siteIds: (string | null)[]) {
  const unique = [...new Set(siteIds.filter((id): id is string => id !== null))];
  const loaded = await Promise.all(unique.map((id) => loadSiteCalendar(db, id)));

  return new Map(unique.map((id, i) => [id, loaded[i]!]));
}

const QUEUE_SELECT = {
  id: true,
  type: true,
  severity: true,
  status: true,
  title: true,
  openedAt: true,
  acknowledgedAt: true,
  resolvedAt: true,
  waitingSince: true,
  firstResponseDueAt: true,
  resolutionDueAt: true,
  escalationLevel: true,
  siteId: true,
  site: { select: { id: true, code: true, timeZone: true } },
  assignee: { select: { id: true, name: true } },
  shipment: { select: { ref: true, status: true } },
} as const;

function isBreached(clock: ClockNow): boolean {
  return Boolean(clock.sla && (clock.sla.firstResponse.breached || clock.sla.resolution.breached));
}

export async function exceptionQueue(db: Db, user: SessionUser, raw: QueueInput, now = new Date()) {
  const input = queueInput.parse(raw);
  const rows = await db.exception.findMany({
    where: whereOf(user, input, now),
    select: QUEUE_SELECT,
    orderBy: [{ resolutionDueAt: { sort: 'asc', nulls: 'last' } }, { openedAt: 'asc' }],
    take: QUEUE_LIMIT,
  });
  const calendars = await calendarsOf(
    db,
    rows.map((r) => r.siteId),
  );
  const items = rows
    .map((r) => ({ ...r, clock: clockNow(calendars.get(r.siteId ?? '') ?? null, r, now) }))
    .filter((r) => !input.breached || isBreached(r.clock));
  const sites = await db.site.findMany({
    where: user.allSites ? {} : { id: { in: user.siteIds } },
    select: { id: true, code: true },
    orderBy: { code: 'asc' },
  });

  return { computedAt: now, items, sites, limit: QUEUE_LIMIT };
}

const DETAIL_INCLUDE = {
  site: { select: { id: true, code: true, timeZone: true } },
  team: { select: { name: true } },
  assignee: { select: { id: true, name: true } },
  shipment: {
    select: {
      ref: true,
      status: true,
      readiness: true,
      holds: {
        where: { releasedAt: null },
        select: { id: true, reason: true, detail: true, placedAt: true },
      },
    },
  },
  escalations: { orderBy: { firedAt: 'asc' } },
  breaches: { orderBy: { recordedAt: 'asc' } },
} as const;

/** One exception for its detail page; the reader must be someone who may act on it. */
export async function exceptionDetail(db: Db, user: SessionUser, id: string, now = new Date()) {
  await db.$transaction((tx) => assertCanAct(tx, user.id, id));
  const e = await db.exception.findUniqueOrThrow({ where: { id }, include: DETAIL_INCLUDE });
  const calendar = e.siteId ? await loadSiteCalendar(db, e.siteId) : null;
  const audit = await db.auditLog.findMany({
    where: { entityType: 'Exception', entityId: id },
    orderBy: { seq: 'asc' },
    select: { seq: true, action: true, actorType: true, actorId: true, data: true, at: true },
  });
  const actorIds = [...new Set(audit.flatMap((a) => (a.actorId ? [a.actorId] : [])))];
  const actors = await db.user.findMany({
    where: { id: { in: actorIds } },
    select: { id: true, name: true },
  });
  const names = new Map(actors.map((a) => [a.id, a.name]));
  const timeline = audit.map((a) => ({ ...a, actorName: a.actorId ? names.get(a.actorId) : null }));

  return { computedAt: now, exception: e, clock: clockNow(calendar, e, now), timeline };
}

/** "Assign to me": the reader takes the exception, if they may act on it. */
export async function assignToMe(db: Db, user: SessionUser, id: string, requestId: string | null) {
  return db.$transaction(async (tx) => {
    await assertCanAct(tx, user.id, id);
    const before = await tx.exception.findUniqueOrThrow({
      where: { id },
      select: { assigneeId: true, status: true },
    });
    if (!ACTIVE_STATUSES.includes(before.status as (typeof ACTIVE_STATUSES)[number])) {
      throw new AppError('CONFLICT', `Cannot take an exception that is ${before.status}`);
    }
    if (before.assigneeId === user.id) return { id, assigneeId: user.id };
    await tx.exception.update({
      where: { id },
      data: { assigneeId: user.id, assignedAt: new Date() },
    });
    await writeAudit(tx, {
      entityType: 'Exception',
      entityId: id,
      action: 'exception.assigned',
      actor: { type: 'USER', id: user.id },
      requestId,
      data: { from: before.assigneeId, to: user.id, by: 'self' },
    });

    return { id, assigneeId: user.id };
  });
}
