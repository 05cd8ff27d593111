import { z } from 'zod';

import { mustBe } from './field-errors';

// Event times must name their offset: a naive "2026-03-01T14:05:00" is a different instant in
// every site's zone, and ordering by event time is only sound on instants.
// TODO(time-module): move to the shared time module when it lands; it belongs with the rest of
// the time arithmetic (ARCHITECTURE: time in one module).
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

export type InstantResult = { ok: true; at: Date } | { ok: false; reason: string };

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function validDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
}

function offsetMinutes(offset: string): number | null {
  if (offset === 'Z') return 0;
  const hours = Number(offset.slice(1, 3));
  const minutes = Number(offset.slice(4, 6));
  if (hours > 18 || minutes > 59) return null;
  const sign = offset.startsWith('-') ? -1 : 1;

  return sign * (hours * 60 + minutes);
}

// The last string read and its instant: intake reads each event's times several times in a row
// (the schema, the future check, the hash, the stored column), and a repeat costs no parse.
let last: { raw: string; utc: number } | null = null;

/**
 * Reads an ISO 8601 date-time that carries an offset ("Z" or "+HH:MM"). Fractions finer than a
 * millisecond are cut, as storage keeps milliseconds.
 */
export function parseInstant(label: string, raw: string): InstantResult {
  if (last?.raw === raw) return { ok: true, at: new Date(last.utc) };
  const result = readInstant(label, raw);
  if (result.ok) last = { raw, utc: result.at.getTime() };

  return result;
}

function readInstant(label: string, raw: string): InstantResult {
  const m = DATE_TIME.exec(raw);
  if (!m) {
    return {
      ok: false,
      reason: `${label} must be an ISO 8601 date-time such as "2026-03-01T14:05:00+01:00"`,
    };
  }
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as number[];
  const second = Number(m[6] ?? '0');
  if (m[8] === undefined) {
    return {
      ok: false,
      reason: `${label} must include a UTC offset ("Z" or "+01:00"); "${raw}" has none`,
    };
  }
  const offset = offsetMinutes(m[8]);
  if (
    !validDate(year!, month!, day!) ||
    hour! > 23 ||
    minute! > 59 ||
    second > 59 ||
    offset === null
  ) {
    return { ok: false, reason: `${label} is not a valid date-time: "${raw}"` };
  }
  const millis = Math.floor(Number(`0${m[7] ?? ''}`) * 1000);
  const utc = Date.UTC(year!, month! - 1, day!, hour!, minute!, second, millis) - offset * 60_000;

  return { ok: true, at: new Date(utc) };
}

/** A calendar date ("2026-03-01", read in the site's zone) or a date-time with offset. */
export function calendarDateProblem(label: string, raw: string): string | null {
  const m = DATE_ONLY.exec(raw);
  if (m) {
    return validDate(Number(m[1]), Number(m[2]), Number(m[3]))
      ? null
      : `${label} is not a valid date: "${raw}"`;
  }
  const instant = parseInstant(label, raw);

  return instant.ok ? null : instant.reason;
}

function stringField(label: string) {
  return z.string({ error: mustBe(`${label} must be a string`) });
}

/** A date-time with offset, kept as the sender wrote it (its offset says the local time). */
export function instantString(label: string) {
  return stringField(label).superRefine((raw, ctx) => {
    const instant = parseInstant(label, raw);
    if (!instant.ok) ctx.addIssue({ code: 'custom', message: instant.reason });
  });
}

export function calendarDateString(label: string) {
  return stringField(label).superRefine((raw, ctx) => {
    const problem = calendarDateProblem(label, raw);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** The instant of a string that `instantString` accepted. */
export function instantOf(raw: string): Date {
  const instant = parseInstant('time', raw);
  if (!instant.ok) throw new Error(instant.reason);

  return instant.at;
}
