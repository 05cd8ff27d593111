import type { ExceptionStatus } from '../../db/generated/enums';
import {
  businessMinutesBetween,
  localDateIn,
  type BusinessCalendarSpec,
} from '../../lib/business-time';

// What a queue shows for an exception's clocks at `now`: due, met or breached, and the business
// minutes left (negative once overdue). Breached means strictly after the due time, and a due
// time is at least a business minute after the clock started (targets.ts), so an exception
// opened a second ago is never shown as breached.

export interface ClockView {
  dueAt: Date | null;
  metAt: Date | null;
  breached: boolean;
  /** Business minutes until due, counted from the pause while WAITING; null once met or untimed. */
  remainingMinutes: number | null;
}

export interface SlaView {
  paused: boolean;
  firstResponse: ClockView;
  resolution: ClockView;
}

export interface SlaStateInput {
  status: ExceptionStatus;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  waitingSince: Date | null;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
}

function clock(
  spec: BusinessCalendarSpec,
  dueAt: Date | null,
  metAt: Date | null,
  at: Date,
): ClockView {
  if (!dueAt) return { dueAt, metAt, breached: false, remainingMinutes: null };
  const reference = metAt ?? at;

  return {
    dueAt,
    metAt,
    breached: reference.getTime() > dueAt.getTime(),
    remainingMinutes: metAt ? null : Math.round(businessMinutesBetween(spec, at, dueAt)),
  };
}

export function slaStateOf(spec: BusinessCalendarSpec, e: SlaStateInput, now: Date): SlaView {
  const paused = e.status === 'WAITING';
  // While waiting the clock stands still at the moment it was paused.
  const at = paused && e.waitingSince ? e.waitingSince : now;
  const resolvedAt = e.status === 'RESOLVED' || e.status === 'CLOSED' ? e.resolvedAt : null;

  return {
    paused,
    firstResponse: clock(spec, e.firstResponseDueAt, e.acknowledgedAt, at),
    resolution: clock(spec, e.resolutionDueAt, resolvedAt ?? null, at),
  };
}

/**
 * Whether `dueAt` falls on today's local date at the site. "Today" is the site's date, never the
 * server's: at 22:00 in Los Angeles the UTC date is already tomorrow's.
 */
export function isDueToday(timeZone: string, dueAt: Date | null, now: Date): boolean {
  return dueAt !== null && localDateIn(timeZone, dueAt) === localDateIn(timeZone, now);
}
