import type { Tx } from '../../db/client';
import type { BusinessCalendarSpec } from '../../lib/business-time';

// A site's business calendar as the business-time module takes it. Loaded once per service call;
// the spec object is what business-time caches its per-date ranges on.

/** A transaction or the client itself: reading a calendar needs no transaction of its own. */
type Reader = Pick<Tx, 'site' | 'businessCalendar'>;

export interface SiteCalendar {
  calendarId: string;
  version: number;
  spec: BusinessCalendarSpec;
}

const CALENDAR_SELECT = {
  id: true,
  version: true,
  timeZone: true,
  alwaysOpen: true,
  holidayCountry: true,
  holidayState: true,
  holidayRegion: true,
  workingHours: { select: { weekday: true, opensMinute: true, closesMinute: true } },
  closures: { select: { date: true } },
} as const;

type CalendarRow = {
  id: string;
  version: number;
  timeZone: string;
  alwaysOpen: boolean;
  holidayCountry: string | null;
  holidayState: string | null;
  holidayRegion: string | null;
  workingHours: { weekday: number; opensMinute: number; closesMinute: number }[];
  closures: { date: Date }[];
};

export function toSiteCalendar(row: CalendarRow): SiteCalendar {
  return {
    calendarId: row.id,
    version: row.version,
    spec: {
      timeZone: row.timeZone,
      alwaysOpen: row.alwaysOpen,
      workingHours: row.workingHours,
      holidays: row.holidayCountry
        ? { country: row.holidayCountry, state: row.holidayState, region: row.holidayRegion }
        : null,
      // A @db.Date comes back as UTC midnight of the local date it names.
      closures: row.closures.map((c) => c.date.toISOString().slice(0, 10)),
    },
  };
}

export async function loadCalendar(tx: Reader, calendarId: string): Promise<SiteCalendar> {
  const row = await tx.businessCalendar.findUniqueOrThrow({
    where: { id: calendarId },
    select: CALENDAR_SELECT,
  });

  return toSiteCalendar(row);
}

export async function loadSiteCalendar(tx: Reader, siteId: string): Promise<SiteCalendar> {
  const site = await tx.site.findUniqueOrThrow({
    where: { id: siteId },
    select: { calendar: { select: CALENDAR_SELECT } },
  });

  return toSiteCalendar(site.calendar);
}

/** The calendars of many sites in one query, by site id. */
export async function loadSiteCalendars(
  tx: Reader,
  siteIds: readonly string[],
): Promise<Map<string, SiteCalendar>> {
  if (siteIds.length === 0) return new Map();
  const sites = await tx.site.findMany({
    where: { id: { in: [...new Set(siteIds)] } },
    select: { id: true, calendar: { select: CALENDAR_SELECT } },
  });

  return new Map(sites.map((s) => [s.id, toSiteCalendar(s.calendar)]));
}

/**
 * What of a calendar business-time arithmetic depends on, and its version, as one string: two
 * loads of a site's calendar with the same fingerprint give the same due times.
 */
export function calendarFingerprint(calendar: SiteCalendar): string {
  const { spec } = calendar;
  const hours = spec.workingHours
    .map((w) => `${w.weekday}:${w.opensMinute}-${w.closesMinute}`)
    .sort();

  return JSON.stringify([
    calendar.calendarId,
    calendar.version,
    spec.timeZone,
    spec.alwaysOpen,
    spec.holidays ?? null,
    hours,
    [...(spec.closures ?? [])].sort(),
  ]);
}

/**
 * A sweep's memory of the calendars it fired by, by site: the first fingerprint it saw of each,
 * and the sites whose calendar has differed from it since (changed while the sweep ran, so that
 * the exceptions' stored due times may still follow the old one until recalculateForCalendar
 * has moved them).
 */
export interface CalendarWatch {
  /** Records what `calendars` (by site id) look like; returns the sites whose calendar changed. */
  see(calendars: ReadonlyMap<string, SiteCalendar>): ReadonlySet<string>;
}

export function calendarWatch(): CalendarWatch {
  const first = new Map<string, string>();
  const changed = new Set<string>();

  return {
    see(calendars) {
      for (const [siteId, calendar] of calendars) {
        const print = calendarFingerprint(calendar);
        const seen = first.get(siteId);
        if (seen === undefined) first.set(siteId, print);
        else if (seen !== print) changed.add(siteId);
      }

      return changed;
    },
  };
}
