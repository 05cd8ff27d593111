import type { Prisma } from '../db/generated/client';
import type { ExceptionStatus } from '../db/generated/enums';
import { DAY, memberOf, type SimContext } from './history-context';
import type { SimException } from './history-types';
import type { RowSet } from './rows';
import type { SlaInfo } from './types';

// Exceptions with their SLA clock: due times in the owning site's business time, the first
// response somewhere around its target (late now and then, which escalates), and the state at
// `now` for those still open.

const CLOSE_AFTER = 3 * DAY;

interface Clock {
  firstResponseDue: number;
  resolutionDue: number;
  acknowledgedAt?: number;
}

function dueAt(e: SimException, value: number, unit: SlaInfo['resolutionUnit']): number {
  const calendar = e.site.calendar;

  return unit === 'BUSINESS_DAYS'
    ? calendar.endOfBusinessDays(e.openedAt, value)
    : calendar.addOpenMinutes(e.openedAt, value);
}

function clockOf(ctx: SimContext, e: SimException, sla: SlaInfo): Clock {
  const firstResponseDue = dueAt(e, sla.firstResponseValue, sla.firstResponseUnit);
  const resolutionDue = dueAt(e, sla.resolutionValue, sla.resolutionUnit);
  let ack = e.site.calendar.addOpenMinutes(
    e.openedAt,
    sla.firstResponseValue * ctx.rng.float(0.2, 1.5),
  );
  // Resolving an exception nobody had picked up acknowledges it on the way.
  if (e.resolvedAt !== undefined) ack = Math.min(ack, e.resolvedAt);
  const clock: Clock = { firstResponseDue, resolutionDue };
  if (ack <= ctx.now) clock.acknowledgedAt = ack;

  return clock;
}

function escalation(e: SimException, c: Clock, now: number) {
  const end = e.resolvedAt ?? now;
  const breaches = [
    (c.acknowledgedAt ?? end) > c.firstResponseDue ? c.firstResponseDue : undefined,
    end > c.resolutionDue ? c.resolutionDue : undefined,
  ].filter((b): b is number => b !== undefined && b <= now);
  const pending = [
    c.acknowledgedAt === undefined ? c.firstResponseDue : undefined,
    c.resolutionDue,
  ].filter((d): d is number => d !== undefined && d > now && Number.isFinite(d));

  return {
    escalationLevel: breaches.length,
    escalatedAt: breaches.length > 0 ? new Date(Math.min(...breaches)) : null,
    nextEscalationAt:
      e.resolvedAt === undefined && pending.length > 0 ? new Date(Math.min(...pending)) : null,
  };
}

function statusOf(e: SimException, c: Clock, now: number): ExceptionStatus {
  if (e.resolvedAt !== undefined) return e.resolvedAt < now - CLOSE_AFTER ? 'CLOSED' : 'RESOLVED';
  if (c.acknowledgedAt === undefined) return 'OPEN';

  return e.waits ? 'WAITING' : 'ACKNOWLEDGED';
}

const finite = (ms: number) => (Number.isFinite(ms) ? new Date(ms) : null);

function exceptionRow(ctx: SimContext, e: SimException): Prisma.ExceptionCreateManyInput {
  const sla = ctx.master.sla.get(`${e.type}:${e.severity}`);
  if (!sla) throw new Error(`no SLA policy for ${e.type} ${e.severity}`);
  const c = clockOf(ctx, e, sla);
  const status = statusOf(e, c, ctx.now);
  const assigneeId = c.acknowledgedAt === undefined ? null : (memberOf(ctx, e) ?? null);
  const last = Math.max(e.openedAt, e.resolvedAt ?? 0, c.acknowledgedAt ?? 0);

  return {
    id: e.id,
    type: e.type,
    severity: e.severity,
    status,
    ownerTeam: e.ownerTeam,
    siteId: e.site.id,
    teamId: e.site.teams[e.ownerTeam].id,
    assigneeId,
    shipmentId: e.shipmentId ?? null,
    eventId: e.eventId ?? null,
    slaPolicyId: sla.id,
    dedupeKey: e.dedupeKey,
    title: e.title,
    detail: e.detail as Prisma.InputJsonValue,
    resolutionCode: e.resolutionCode ?? null,
    resolutionNote: e.resolutionNote ?? null,
    openedAt: new Date(e.openedAt),
    acknowledgedAt: c.acknowledgedAt === undefined ? null : new Date(c.acknowledgedAt),
    waitingSince:
      status === 'WAITING' && c.acknowledgedAt !== undefined ? new Date(c.acknowledgedAt) : null,
    firstResponseDueAt: finite(c.firstResponseDue),
    resolutionDueAt: finite(c.resolutionDue),
    ...escalation(e, c, ctx.now),
    resolvedAt: e.resolvedAt === undefined ? null : new Date(e.resolvedAt),
    closedAt: status === 'CLOSED' ? new Date((e.resolvedAt as number) + DAY) : null,
    updatedAt: new Date(status === 'CLOSED' ? (e.resolvedAt as number) + DAY : last),
  };
}

export function addExceptionRows(ctx: SimContext, rows: RowSet, exceptions: SimException[]): void {
  rows.defer('exceptions', () => exceptions.map((e) => exceptionRow(ctx, e)));
}
