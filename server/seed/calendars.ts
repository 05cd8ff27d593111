import { localDateIn, publicHolidays } from '../lib/business-time';
import { zonedInstant } from '../domain/dispatch/departures';

// The seed's view of a site's working time: the open intervals of every local day of the
// simulated window, as UTC milliseconds, computed once through the site's IANA zone so that DST
// days have their real length. The simulation moves work along these intervals (a pick started
// at 21:50 finishes the next morning) and times SLA targets in them. Public holidays come from
// the shared business-time module, so the seed closes the same days the product does.

export interface WorkingHoursSpec {
  weekday: number;
  opensMinute: number;
  closesMinute: number;
}

export interface CalendarSpec {
  code: string;
  name: string;
  timeZone: string;
  alwaysOpen: boolean;
  holidayCountry?: string;
  holidayState?: string;
  hours: readonly WorkingHoursSpec[];
  closures: readonly { date: string; name: string }[];
}

export interface SiteDay {
  /** Local date, YYYY-MM-DD. */
  date: string;
  weekday: number;
  /** The instant of local midnight. */
  startMs: number;
  /** Open intervals [from, to) in UTC ms; empty on closed days. */
  windows: [number, number][];
  closedFor?: string;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

function parseDate(date: string): CalendarDate {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];

  return { year, month, day };
}

function shiftDate(date: string, days: number): { date: string; weekday: number } {
  const { year, month, day } = parseDate(date);
  const d = new Date(Date.UTC(year, month - 1, day + days));

  return { date: d.toISOString().slice(0, 10), weekday: d.getUTCDay() };
}

function closuresOf(spec: CalendarSpec, fromDate: string, toDate: string): Map<string, string> {
  const years = [Number(fromDate.slice(0, 4)), Number(toDate.slice(0, 4))];
  const closed = new Map<string, string>();
  if (!spec.alwaysOpen && spec.holidayCountry) {
    const region = { country: spec.holidayCountry, state: spec.holidayState };
    for (const year of new Set(years)) {
      for (const date of publicHolidays(region, year)) closed.set(date, 'public holiday');
    }
  }
  for (const c of spec.closures) closed.set(c.date, c.name);

  return closed;
}

function buildDay(spec: CalendarSpec, date: string, weekday: number, closedFor?: string): SiteDay {
  const local = parseDate(date);
  const startMs = zonedInstant(local, 0, spec.timeZone).getTime();
  if (spec.alwaysOpen) {
    const endMs = shiftedMidnight(spec.timeZone, date);

    return { date, weekday, startMs, windows: [[startMs, endMs]] };
  }
  if (closedFor) return { date, weekday, startMs, windows: [], closedFor };
  const windows = spec.hours
    .filter((h) => h.weekday === weekday)
    .map((h): [number, number] => [
      zonedInstant(local, h.opensMinute, spec.timeZone).getTime(),
      zonedInstant(local, h.closesMinute, spec.timeZone).getTime(),
    ])
    .sort((a, b) => a[0] - b[0]);

  return { date, weekday, startMs, windows };
}

function shiftedMidnight(timeZone: string, date: string): number {
  return zonedInstant(parseDate(shiftDate(date, 1).date), 0, timeZone).getTime();
}

export class OpenCalendar {
  readonly days: SiteDay[];
  private readonly windows: [number, number][];

  constructor(
    readonly spec: CalendarSpec,
    from: Date,
    to: Date,
  ) {
    const fromDate = localDateIn(spec.timeZone, from);
    const toDate = localDateIn(spec.timeZone, to);
    const closed = closuresOf(spec, fromDate, toDate);
    this.days = [];
    for (let i = 0; ; i += 1) {
      const { date, weekday } = shiftDate(fromDate, i);
      if (date > toDate) break;
      this.days.push(buildDay(spec, date, weekday, closed.get(date)));
    }
    this.windows = this.days.flatMap((d) => d.windows);
  }

  get alwaysOpen(): boolean {
    return this.spec.alwaysOpen;
  }

  /** Index of the first window that ends after `t`. */
  private windowAfter(t: number): number {
    let lo = 0;
    let hi = this.windows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.windows[mid]?.[1] ?? Infinity) <= t) lo = mid + 1;
      else hi = mid;
    }

    return lo;
  }

  /**
   * The instant `minutes` of open time after `t`. Beyond the calendar's horizon the answer is
   * Infinity: the seed only asks whether such a moment lies before `now`, and it does not.
   */
  addOpenMinutes(t: number, minutes: number): number {
    if (this.alwaysOpen) return t + minutes * MINUTE;
    let remaining = minutes * MINUTE;
    for (let i = this.windowAfter(t); i < this.windows.length; i += 1) {
      const [from, to] = this.windows[i] as [number, number];
      const start = Math.max(t, from);
      if (start + remaining <= to) return start + remaining;
      remaining -= to - start;
    }

    return Infinity;
  }

  /** `t` itself when open, else the next opening (Infinity beyond the horizon). */
  nextOpen(t: number): number {
    return this.addOpenMinutes(t, 0);
  }

  /** Close of business on the `days`-th working day after the one `t` falls in (or before). */
  endOfBusinessDays(t: number, days: number): number {
    if (this.alwaysOpen) return t + days * DAY;
    const start = this.days.findIndex((d) => d.windows.some(([, to]) => to > t));
    let seen = -1;
    for (let i = Math.max(start, 0); i < this.days.length; i += 1) {
      const day = this.days[i] as SiteDay;
      if (day.windows.length === 0) continue;
      seen += 1;
      if (seen === days) return (day.windows[day.windows.length - 1] as [number, number])[1];
    }

    return Infinity;
  }
}
