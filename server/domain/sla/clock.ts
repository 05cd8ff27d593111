import type { Tx } from '../../db/client';
import type { ExceptionType, Severity } from '../../db/generated/enums';
import { loadSiteCalendar, type SiteCalendar } from './calendar';
import type { LadderInput } from './ladder';
import { dueTimes, targetsOf, type SlaTargets } from './targets';

// An exception's SLA clock: its site's calendar, its policy's targets and the timestamps the
// due times follow from. Services load it, call the pure rules, and write what they return.

const CLOCK_SELECT = {
  id: true,
  type: true,
  title: true,
  status: true,
  severity: true,
  siteId: true,
  teamId: true,
  assigneeId: true,
  reworkCount: true,
  escalationLevel: true,
  openedAt: true,
  acknowledgedAt: true,
  waitingSince: true,
  resolvedAt: true,
  slaStartedAt: true,
  pausedMinutes: true,
  firstResponseDueAt: true,
  resolutionDueAt: true,
  slaPolicy: {
    select: {
      firstResponseValue: true,
      firstResponseUnit: true,
      resolutionValue: true,
      resolutionUnit: true,
      escalationStepMinutes: true,
    },
  },
} as const;

export type ClockRow = NonNullable<Awaited<ReturnType<typeof findClockRow>>>;

export interface ClockContext {
  exception: ClockRow;
  calendar: SiteCalendar;
  targets: SlaTargets;
}

export function findClockRow(tx: Tx, exceptionId: string) {
  return tx.exception.findUnique({ where: { id: exceptionId }, select: CLOCK_SELECT });
}

export function findClockRows(tx: Tx, exceptionIds: readonly string[]) {
  return tx.exception.findMany({ where: { id: { in: [...exceptionIds] } }, select: CLOCK_SELECT });
}

export function clockOf(exception: ClockRow, calendar: SiteCalendar): ClockContext {
  return { exception, calendar, targets: targetsOf(exception.slaPolicy, exception.severity) };
}

/** Null when the exception does not exist or has no site (then nothing times it). */
export async function loadClock(
  tx: Tx,
  exceptionId: string,
  calendar?: SiteCalendar,
): Promise<ClockContext | null> {
  const exception = await findClockRow(tx, exceptionId);
  if (!exception?.siteId) return null;

  return clockOf(exception, calendar ?? (await loadSiteCalendar(tx, exception.siteId)));
}

/** Locks the exception's row until commit, so that a timer and a person cannot interleave. */
export async function lockException(tx: Tx, exceptionId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM exceptions WHERE id = ${exceptionId}::uuid FOR UPDATE`;
}

/** The due times from the clock's start and pauses, in the calendar as it is now. */
export function recomputedDueTimes(ctx: ClockContext) {
  const e = ctx.exception;

  return dueTimes(
    ctx.calendar.spec,
    { startedAt: e.slaStartedAt ?? e.openedAt, pausedMinutes: e.pausedMinutes },
    ctx.targets,
  );
}

export function ladderInputOf(ctx: ClockContext): LadderInput {
  return {
    status: ctx.exception.status,
    firstResponseDueAt: ctx.exception.firstResponseDueAt,
    resolutionDueAt: ctx.exception.resolutionDueAt,
    stepMinutes: ctx.targets.stepMinutes,
  };
}

/**
 * The active policy for the type and severity: the customer's own first, then the general one.
 * Null when none matches (the severity's default targets apply).
 */
export async function pickSlaPolicy(
  tx: Tx,
  match: { type: ExceptionType; severity: Severity; customerId: string | null },
) {
  return tx.slaPolicy.findFirst({
    where: {
      exceptionType: match.type,
      severity: match.severity,
      active: true,
      OR: [{ customerId: null }, ...(match.customerId ? [{ customerId: match.customerId }] : [])],
    },
    orderBy: [{ customerId: { sort: 'asc', nulls: 'last' } }, { createdAt: 'desc' }],
    select: {
      id: true,
      firstResponseValue: true,
      firstResponseUnit: true,
      resolutionValue: true,
      resolutionUnit: true,
      escalationStepMinutes: true,
    },
  });
}
