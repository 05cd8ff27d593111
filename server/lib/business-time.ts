import { TZDate } from '@date-fns/tz';
import Holidays from 'date-holidays';

// The one module for business-hours arithmetic. A calendar is an IANA time zone, working
// intervals per weekday in local wall-clock minutes, public holidays (date-holidays by
// country/state/region), explicit closures, or `alwaysOpen` for a round-the-clock operation.
//
// Rules, each tested in business-time.test.ts:
// - Every instant is UTC; a local date and wall time exist only inside this module.
// - An interval whose close is at or before its open runs overnight: 22:00-06:00 on Monday is
//   Monday 22:00-24:00 plus Tuesday 00:00-06:00. Each part belongs to the date it falls on, so a
//   holiday or closure closes its local date for all 24 hours, whichever weekday's shift spills in.
// - Local times resolve like Temporal's 'compatible' disambiguation (what TZDate does): a time in
//   the spring-forward gap moves forward by the gap (02:30 -> 03:30 in New York); a time in the
//   repeated autumn hour is its first, earlier-offset occurrence (01:30 EDT, not 01:30 EST). So
//   an interval 00:00-04:00 lasts 3 real hours on the spring day and 5 on the autumn day.
// - A business minute is a real minute while open. Results of the add functions are always open
//   moments: a target that ends exactly at a close lands on the next opening, so a timer never
//   fires at a moment nobody works (a holiday, a weekend, the night).

export interface WorkingInterval {
  /** 0 = Sunday .. 6 = Saturday, of the local date the interval opens on. */
  weekday: number;
  /** Minutes after local midnight, 0..1439. */
  opensMinute: number;
  /** 1..1440; at or before `opensMinute` means it closes on the next day. */
  closesMinute: number;
}

export interface HolidayRegion {
  country: string;
  state?: string | null;
  region?: string | null;
}

export interface BusinessCalendarSpec {
  timeZone: string;
  alwaysOpen?: boolean;
  workingHours: readonly WorkingInterval[];
  holidays?: HolidayRegion | null;
  /** Local dates (YYYY-MM-DD) closed in addition to the public holidays. */
  closures?: readonly string[];
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

type Range = readonly [start: number, end: number];

interface Compiled {
  spec: BusinessCalendarSpec;
  /** Per weekday, merged local-minute ranges [open, close) within the day, overnight spills included. */
  daily: Range[][];
  closures: ReadonlySet<string>;
  rangesByDate: Map<string, Range[]>;
}

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;
/** Longer than any real closure: a calendar with no open time in three years is a mistake. */
const MAX_SCAN_DAYS = 3 * 366;

/** What is wrong with a calendar definition; empty when it can be used. */
export function calendarProblems(spec: BusinessCalendarSpec): string[] {
  const problems: string[] = [];
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: spec.timeZone });
  } catch {
    problems.push(`unknown time zone "${spec.timeZone}"`);
  }
  for (const w of spec.workingHours) {
    const label = `weekday ${w.weekday} ${w.opensMinute}-${w.closesMinute}`;
    if (!Number.isInteger(w.weekday) || w.weekday < 0 || w.weekday > 6) {
      problems.push(`${label}: weekday is not 0..6`);
    }
    if (!Number.isInteger(w.opensMinute) || w.opensMinute < 0 || w.opensMinute >= DAY_MINUTES) {
      problems.push(`${label}: opens is not 0..1439`);
    }
    if (!Number.isInteger(w.closesMinute) || w.closesMinute < 1 || w.closesMinute > DAY_MINUTES) {
      problems.push(`${label}: closes is not 1..1440`);
    }
  }
  if (!spec.alwaysOpen && spec.workingHours.length === 0) problems.push('no working hours');

  return problems;
}

function mergeRanges(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }

  return merged;
}

function dailyRanges(intervals: readonly WorkingInterval[]): Range[][] {
  const days: Range[][] = Array.from({ length: 7 }, () => []);
  for (const { weekday, opensMinute, closesMinute } of intervals) {
    if (closesMinute > opensMinute) {
      days[weekday]!.push([opensMinute, closesMinute]);
      continue;
    }
    days[weekday]!.push([opensMinute, DAY_MINUTES]);
    if (closesMinute > 0) days[(weekday + 1) % 7]!.push([0, closesMinute]);
  }

  return days.map(mergeRanges);
}

const compiledCache = new WeakMap<BusinessCalendarSpec, Compiled>();

function compile(spec: BusinessCalendarSpec): Compiled {
  const cached = compiledCache.get(spec);
  if (cached) return cached;
  const problems = calendarProblems(spec);
  if (problems.length > 0)
    throw new RangeError(`Invalid business calendar: ${problems.join('; ')}`);
  const compiled: Compiled = {
    spec,
    daily: spec.alwaysOpen ? [] : dailyRanges(spec.workingHours),
    closures: new Set(spec.closures ?? []),
    rangesByDate: new Map(),
  };
  compiledCache.set(spec, compiled);

  return compiled;
}

const holidayCache = new Map<string, ReadonlySet<string>>();

/** Local dates of the region's public holidays in `year`, substitute days included. */
export function publicHolidays(region: HolidayRegion, year: number): ReadonlySet<string> {
  const key = `${region.country}|${region.state ?? ''}|${region.region ?? ''}|${year}`;
  const cached = holidayCache.get(key);
  if (cached) return cached;
  const hd = new Holidays(region.country, region.state ?? '', region.region ?? '');
  // Only 'public' closes the site; 'bank', 'school', 'optional' and 'observance' days are worked.
  const dates = new Set(
    (hd.getHolidays(year) || []).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)),
  );
  holidayCache.set(key, dates);

  return dates;
}

function dateKey(d: LocalDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

// Calendar arithmetic on UTC dates, where every day has 24 hours.
function shiftDate(d: LocalDate, days: number): LocalDate {
  const u = new Date(Date.UTC(d.year, d.month - 1, d.day + days));

  return { year: u.getUTCFullYear(), month: u.getUTCMonth() + 1, day: u.getUTCDate() };
}

function weekdayOf(d: LocalDate): number {
  return new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
}

function localParts(instant: number, timeZone: string): { date: LocalDate; minute: number } {
  const t = new TZDate(instant, timeZone);
  const minute =
    t.getHours() * 60 + t.getMinutes() + (t.getSeconds() * 1000 + t.getMilliseconds()) / MINUTE_MS;

  return { date: { year: t.getFullYear(), month: t.getMonth() + 1, day: t.getDate() }, minute };
}

/** The instant of local wall-clock `minute` (may be fractional, up to 1440) on `date`. */
function localInstant(date: LocalDate, minute: number, timeZone: string): number {
  const d = minute >= DAY_MINUTES ? shiftDate(date, 1) : date;
  const m = minute >= DAY_MINUTES ? minute - DAY_MINUTES : minute;
  const whole = Math.floor(m);
  const ms = Math.round((m - whole) * MINUTE_MS);

  return new TZDate(
    d.year,
    d.month - 1,
    d.day,
    Math.floor(whole / 60),
    whole % 60,
    0,
    ms,
    timeZone,
  ).getTime();
}

function isClosedDate(c: Compiled, date: LocalDate): boolean {
  const key = dateKey(date);
  if (c.closures.has(key)) return true;
  const region = c.spec.holidays;

  return Boolean(region?.country) && publicHolidays(region!, date.year).has(key);
}

/** The open ranges of one local date as UTC instants, in order. */
function rangesOn(c: Compiled, date: LocalDate): Range[] {
  const key = dateKey(date);
  const cached = c.rangesByDate.get(key);
  if (cached) return cached;
  const tz = c.spec.timeZone;
  let ranges: Range[];
  if (c.spec.alwaysOpen)
    ranges = [[localInstant(date, 0, tz), localInstant(date, DAY_MINUTES, tz)]];
  else if (isClosedDate(c, date)) ranges = [];
  else {
    ranges = c.daily[weekdayOf(date)]!.map(
      ([s, e]) => [localInstant(date, s, tz), localInstant(date, e, tz)] as const,
    ).filter(([s, e]) => e > s);
  }
  c.rangesByDate.set(key, ranges);

  return ranges;
}

/** Open ranges from the local date of `from` onwards, date by date. */
function* rangesFrom(c: Compiled, from: number): Generator<Range> {
  const start = localParts(from, c.spec.timeZone).date;
  for (let i = 0; i <= MAX_SCAN_DAYS; i += 1) yield* rangesOn(c, shiftDate(start, i));
  throw new RangeError(`Business calendar has no open time within ${MAX_SCAN_DAYS} days`);
}

function assertInstant(name: string, d: Date): number {
  const t = d.getTime();
  if (Number.isNaN(t)) throw new RangeError(`${name}: invalid instant`);

  return t;
}

export function isOpen(calendar: BusinessCalendarSpec, instant: Date): boolean {
  const c = compile(calendar);
  const t = assertInstant('isOpen', instant);

  return rangesOn(c, localParts(t, calendar.timeZone).date).some(([s, e]) => s <= t && t < e);
}

/** `instant` itself when open, else the next moment the calendar opens. */
export function nextOpen(calendar: BusinessCalendarSpec, instant: Date): Date {
  const t = assertInstant('nextOpen', instant);
  for (const [s, e] of rangesFrom(compile(calendar), t)) {
    if (t < e) return new Date(Math.max(s, t));
  }
  throw new RangeError('unreachable');
}

/** The open moment after `minutes` (>= 0) business minutes have passed since `start`. */
export function addBusinessMinutes(
  calendar: BusinessCalendarSpec,
  start: Date,
  minutes: number,
): Date {
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new RangeError(`addBusinessMinutes: ${minutes} is not a non-negative number`);
  }
  const t = assertInstant('addBusinessMinutes', start);
  let remaining = Math.round(minutes * MINUTE_MS);
  for (const [s, e] of rangesFrom(compile(calendar), t)) {
    if (e <= t) continue;
    const from = Math.max(s, t);
    // Strictly less: a target ending at a close lands on the next opening.
    if (remaining < e - from) return new Date(from + remaining);
    remaining -= e - from;
  }
  throw new RangeError('unreachable');
}

/** Business minutes (fractional) in [a, b); negative when b is before a. */
export function businessMinutesBetween(calendar: BusinessCalendarSpec, a: Date, b: Date): number {
  const ta = assertInstant('businessMinutesBetween', a);
  const tb = assertInstant('businessMinutesBetween', b);
  if (tb < ta) return -businessMinutesBetween(calendar, b, a);
  let ms = 0;
  for (const [s, e] of rangesFrom(compile(calendar), ta)) {
    if (s >= tb) break;
    ms += Math.max(0, Math.min(e, tb) - Math.max(s, ta));
  }

  return ms / MINUTE_MS;
}

/**
 * One business day is the same local wall time on the next working day, not 24 working hours.
 * Counting starts from the next open moment of `start` (an exception opened on Saturday counts
 * from Monday's opening), and a working day for that wall time is a later local date on which
 * the calendar is open at that wall time: from 16:30 on Friday, a Monday that closes at 12:00 is
 * skipped (Tuesday 16:30), and so is a Saturday that only carries Friday's night shift until
 * 06:00. So the result is always an open moment, later for each further day. Zero days is
 * `nextOpen(start)`.
 */
export function addBusinessDays(calendar: BusinessCalendarSpec, start: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 0) {
    throw new RangeError(`addBusinessDays: ${days} is not a non-negative integer`);
  }
  const from = nextOpen(calendar, start);
  if (days === 0) return from;
  const { date, minute } = localParts(from.getTime(), calendar.timeZone);
  let target = date;
  let due = from;
  for (let counted = 0, i = 0; counted < days; i += 1) {
    if (i > MAX_SCAN_DAYS) throw new RangeError('Business calendar has no working day ahead');
    target = shiftDate(target, 1);
    const candidate = new Date(localInstant(target, minute, calendar.timeZone));
    if (isOpen(calendar, candidate)) {
      counted += 1;
      due = candidate;
    }
  }

  return due;
}

/** The local date (YYYY-MM-DD) of `instant` in the calendar's time zone. */
export function localDateIn(timeZone: string, instant: Date): string {
  return dateKey(localParts(assertInstant('localDateIn', instant), timeZone).date);
}

/** The local weekday (0 = Sunday) and wall-clock minute of `instant` in `timeZone`. */
export function localWeekMinute(
  timeZone: string,
  instant: Date,
): { weekday: number; minute: number } {
  const { date, minute } = localParts(assertInstant('localWeekMinute', instant), timeZone);

  return { weekday: weekdayOf(date), minute };
}
