// Which departure a shipment staged at a given instant can make. Departures are defined in the
// site's local wall-clock time (minutes after local midnight, weekdays 0 = Sunday), so every
// conversion to an instant goes through the site's IANA time zone; a fixed offset would be an
// hour off for half the year.
import { TZDate } from '@date-fns/tz';

/** A route departure as stored in route_departures. */
export interface DepartureRule {
  id: string;
  routeId?: string;
  weekdays: readonly number[];
  /** Local wall-clock minutes after midnight, 0..1439. */
  departMinute: number;
  /** The latest local time a shipment may be staged to make it; same local day, not after departure. */
  cutoffMinute: number;
}

/** One dated run of a departure: what a Trip row records. */
export interface PlannedDeparture {
  departureId: string;
  routeId?: string;
  /** The local date of the departure, YYYY-MM-DD. */
  serviceDate: string;
  departsAt: Date;
  cutoffAt: Date;
}

const MINUTES_PER_DAY = 24 * 60;

/**
 * How many days after the staging day to look. Eight days (today plus a full week) always
 * reaches the next run of any weekly schedule, including today's weekday next week when
 * today's cut-off has passed.
 */
export const DEFAULT_HORIZON_DAYS = 7;

// Building a formatter is the costly part, and the gate asks on every decision: a zone's
// validity cannot change within a process, so each answer is kept (a bounded number of them).
const knownZones = new Map<string, boolean>();

export function isValidTimeZone(timeZone: string): boolean {
  const known = knownZones.get(timeZone);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    valid = timeZone.length > 0;
  } catch {
    valid = false;
  }
  if (knownZones.size < 1_000) knownZones.set(timeZone, valid);

  return valid;
}

function isMinuteOfDay(m: number): boolean {
  return Number.isInteger(m) && m >= 0 && m < MINUTES_PER_DAY;
}

/** What is wrong with a departure definition; empty when it can be planned. */
export function departureProblems(d: DepartureRule): string[] {
  const problems: string[] = [];
  if (d.weekdays.length === 0) problems.push('runs on no weekday');
  if (d.weekdays.some((w) => !Number.isInteger(w) || w < 0 || w > 6)) {
    problems.push(`weekdays ${d.weekdays.join(',')} are not all 0 (Sunday) to 6`);
  }
  if (!isMinuteOfDay(d.departMinute))
    problems.push(`departMinute ${d.departMinute} is not 0..1439`);
  if (!isMinuteOfDay(d.cutoffMinute))
    problems.push(`cutoffMinute ${d.cutoffMinute} is not 0..1439`);
  // The cut-off is on the departure's own local day; one after the departure time would mean
  // the day before or a shipment staged after the truck left, neither of which we model.
  if (d.cutoffMinute > d.departMinute) {
    problems.push(`cut-off ${hhmm(d.cutoffMinute)} is after departure ${hhmm(d.departMinute)}`);
  }

  return problems;
}

export function hhmm(minute: number): string {
  const h = Math.floor(minute / 60);
  const m = minute % 60;

  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** A calendar date with no time zone; month is 1..12. */
interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

function calendarDateOf(instant: Date, timeZone: string): CalendarDate {
  const local = new TZDate(instant.getTime(), timeZone);

  return { year: local.getFullYear(), month: local.getMonth() + 1, day: local.getDate() };
}

// Calendar arithmetic on a UTC date, where every day has 24 hours, so adding days never trips
// over a DST change.
function addDays(date: CalendarDate, days: number): CalendarDate & { weekday: number } {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));

  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
  };
}

function formatDate(d: CalendarDate): string {
  const mm = String(d.month).padStart(2, '0');
  const dd = String(d.day).padStart(2, '0');

  return `${String(d.year).padStart(4, '0')}-${mm}-${dd}`;
}

/**
 * The instant of local wall-clock `minute` on `date` in `timeZone`. On the spring-forward day a
 * time inside the gap (02:30 in New York) does not exist and moves forward by the gap (03:30);
 * on the fall-back day an ambiguous time (01:30) is the first, daylight-time occurrence, which
 * keeps a cut-off on the early, safe side.
 */
export function zonedInstant(date: CalendarDate, minute: number, timeZone: string): Date {
  const key = `${timeZone}|${date.year}-${date.month}-${date.day}|${minute}`;
  let time = zonedTimes.get(key);
  if (time === undefined) {
    time = new TZDate(
      date.year,
      date.month - 1,
      date.day,
      Math.floor(minute / 60),
      minute % 60,
      timeZone,
    ).getTime();
    if (zonedTimes.size >= ZONED_TIMES_KEPT) zonedTimes.clear();
    zonedTimes.set(key, time);
  }

  return new Date(time);
}

// A zone's offsets are read through Intl, the costly part of planning a departure, and every
// decision and slotting plans the same few departures of the same few days: each instant is
// kept (a bounded number of them; the zone rules cannot change within a process).
const zonedTimes = new Map<string, number>();
const ZONED_TIMES_KEPT = 10_000;

function plan(d: DepartureRule, date: CalendarDate, timeZone: string): PlannedDeparture {
  const departsAt = zonedInstant(date, d.departMinute, timeZone);
  const cutoff = zonedInstant(date, d.cutoffMinute, timeZone);
  // A cut-off in the spring-forward gap moves forward an hour and could pass the departure.
  const cutoffAt = cutoff.getTime() > departsAt.getTime() ? departsAt : cutoff;
  const planned: PlannedDeparture = {
    departureId: d.id,
    serviceDate: formatDate(date),
    departsAt,
    cutoffAt,
  };
  if (d.routeId !== undefined) planned.routeId = d.routeId;

  return planned;
}

function byDepartureThenId(a: PlannedDeparture, b: PlannedDeparture): number {
  const t = a.departsAt.getTime() - b.departsAt.getTime();

  return t !== 0 ? t : a.departureId < b.departureId ? -1 : a.departureId > b.departureId ? 1 : 0;
}

/**
 * The earliest departure whose cut-off `instant` makes (staged at or before the cut-off).
 * A shipment staged after today's cut-off gets the next day that runs, never a hold. Invalid
 * departure definitions (see `departureProblems`) are skipped; null when nothing runs within
 * the horizon.
 */
export function nextDeparture(
  departures: readonly DepartureRule[],
  timeZone: string,
  instant: Date,
  options: { horizonDays?: number } = {},
): PlannedDeparture | null {
  if (Number.isNaN(instant.getTime())) throw new RangeError('nextDeparture: invalid instant');
  if (!isValidTimeZone(timeZone)) throw new RangeError(`Unknown time zone "${timeZone}"`);

  const valid = departures.filter((d) => departureProblems(d).length === 0);
  const today = calendarDateOf(instant, timeZone);
  const horizon = options.horizonDays ?? DEFAULT_HORIZON_DAYS;

  for (let offset = 0; offset <= horizon; offset += 1) {
    const date = addDays(today, offset);
    const made = valid
      .filter((d) => d.weekdays.includes(date.weekday))
      .map((d) => plan(d, date, timeZone))
      .filter((p) => instant.getTime() <= p.cutoffAt.getTime())
      .sort(byDepartureThenId);
    // Every departure on a later local day leaves after every departure on this one.
    if (made[0]) return made[0];
  }

  return null;
}
