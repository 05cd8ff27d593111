import { TZDate } from '@date-fns/tz';

// X12 dates and times are local wall clock without an offset; a time code (element 623) may say
// which zone. Canonical event times must carry their offset, so each is resolved here: a fixed
// code (ES, CD, UT ...) by its offset, a zone code (ET, CT, PT ...) by the zone's rule on that
// date, and no code (or LT, local time) in the site's zone, with a warning that it was inferred.
// Local times resolve like Temporal's "compatible" rule (TZDate), as in server/lib/business-time.

const FIXED_OFFSETS: Record<string, string> = {
  UT: '+00:00',
  GM: '+00:00',
  AS: '-04:00',
  AD: '-03:00',
  ES: '-05:00',
  ED: '-04:00',
  CS: '-06:00',
  CD: '-05:00',
  MS: '-07:00',
  MD: '-06:00',
  PS: '-08:00',
  PD: '-07:00',
  NS: '-03:30',
  ND: '-02:30',
};

const ZONES: Record<string, string> = {
  AT: 'America/Halifax',
  ET: 'America/New_York',
  CT: 'America/Chicago',
  MT: 'America/Denver',
  PT: 'America/Los_Angeles',
  NT: 'America/St_Johns',
};

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** CCYYMMDD, or YYMMDD as the ISA and old versions write it (00-49 read as 20xx). */
export function x12Date(raw: string): CalendarDate | null {
  const m = /^(\d{2})?(\d{2})(\d{2})(\d{2})$/.exec(raw);
  if (!m) return null;
  const yy = Number(m[2]);
  const year = m[1] ? Number(`${m[1]}${m[2]}`) : yy < 50 ? 2000 + yy : 1900 + yy;
  const [month, day] = [Number(m[3]), Number(m[4])];
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();

  return month >= 1 && month <= 12 && day >= 1 && day <= last ? { year, month, day } : null;
}

/** HHMM, HHMMSS or HHMMSSD..: seconds' fractions are dropped. */
export function x12Time(raw: string): { hour: number; minute: number; second: number } | null {
  const m = /^(\d{2})(\d{2})(\d{2})?\d*$/.exec(raw);
  if (!m) return null;
  const [hour, minute, second] = [Number(m[1]), Number(m[2]), Number(m[3] ?? '0')];

  return hour < 24 && minute < 60 && second < 60 ? { hour, minute, second } : null;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function isoDate(date: CalendarDate): string {
  return `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;
}

export interface LocalInstant {
  /** ISO 8601 with the offset that applied there: what canonical `occurredAt` wants. */
  iso: string;
  /** Set when the zone or the time of day was assumed rather than read. */
  inferred: string | null;
}

function inZone(
  date: CalendarDate,
  time: { hour: number; minute: number; second: number },
  zone: string,
) {
  const local = new TZDate(
    date.year,
    date.month - 1,
    date.day,
    time.hour,
    time.minute,
    time.second,
    zone,
  );

  return local.toISOString().replace('.000', '');
}

/**
 * The instant of an X12 date, time and time code. `siteZone` is used when the code names no
 * zone. A missing time of day reads as the start of that local day. Null when the date is bad.
 */
export function x12Instant(
  dateRaw: string,
  timeRaw: string,
  timeCode: string,
  siteZone: string,
): LocalInstant | null {
  const date = x12Date(dateRaw);
  if (!date) return null;
  const read = timeRaw ? x12Time(timeRaw) : null;
  if (timeRaw && !read) return null;
  const time = read ?? { hour: 0, minute: 0, second: 0 };
  const notes = read ? [] : ['no time of day: read as 00:00'];
  const fixed = FIXED_OFFSETS[timeCode];
  if (fixed) {
    const clock = [time.hour, time.minute, time.second].map((n) => pad(n)).join(':');

    return { iso: `${isoDate(date)}T${clock}${fixed}`, inferred: notes.join('; ') || null };
  }
  const zone = ZONES[timeCode];
  if (!zone) notes.push(`time code ${timeCode || '(none)'}: read in the site's zone ${siteZone}`);

  return { iso: inZone(date, time, zone ?? siteZone), inferred: notes.join('; ') || null };
}
