// Working hours as an admin types them, one weekday at a time: "08:00-12:00, 13:00-18:00";
// an interval that ends at or before its start runs overnight ("22:00-06:00"), and "24:00"
// is the end of the day. Parsed to the minutes business_calendars stores.

export interface Interval {
  weekday: number;
  opensMinute: number;
  closesMinute: number;
}

export const WEEKDAYS = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
];

const TIME = /^(\d{1,2}):(\d{2})$/;

function minuteOf(text: string, allowEnd: boolean): number | null {
  const m = TIME.exec(text.trim());
  if (!m) return null;
  const minute = Number(m[1]) * 60 + Number(m[2]);
  if (Number(m[2]) > 59 || minute > 1440 || (minute === 1440 && !allowEnd)) return null;

  return minute;
}

function clock(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

export function formatDay(intervals: readonly Interval[], weekday: number): string {
  return intervals
    .filter((i) => i.weekday === weekday)
    .map((i) => `${clock(i.opensMinute)}-${clock(i.closesMinute)}`)
    .join(', ');
}

/** The day's intervals, or the reason the text is not a list of HH:MM-HH:MM. */
export function parseDay(text: string, weekday: number): Interval[] | string {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const out: Interval[] = [];
  for (const part of parts) {
    const [a, b, extra] = part.split('-');
    const opensMinute = a === undefined ? null : minuteOf(a, false);
    const closesMinute = b === undefined ? null : minuteOf(b, true);
    if (extra !== undefined || opensMinute === null || closesMinute === null || closesMinute === 0)
      return `${WEEKDAYS[weekday]}: "${part}" is not HH:MM-HH:MM`;
    out.push({ weekday, opensMinute, closesMinute });
  }

  return out;
}

/** Closures, one a line: "2026-12-24 Christmas Eve". */
export function parseClosures(text: string): { date: string; name: string }[] | string {
  const out: { date: string; name: string }[] = [];
  for (const line of text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const m = /^(\d{4}-\d{2}-\d{2})\s+(.+)$/.exec(line);
    if (!m) return `"${line}" is not a date and a name, e.g. 2026-12-24 Christmas Eve`;
    out.push({ date: m[1]!, name: m[2]!.trim() });
  }

  return out;
}
