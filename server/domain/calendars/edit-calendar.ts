import { z } from 'zod';
import type { Db } from '../../db/client';
import {
  calendarProblems,
  publicHolidays,
  type BusinessCalendarSpec,
} from '../../lib/business-time';
import { AppError } from '../../lib/errors';
import { logger } from '../../lib/logger';
import { writeAudit } from '../audit/write-audit';
import { recalculateInTransaction, type RecalculationOutcome } from '../sla/recalculate';

// An admin edits a business calendar: its working hours per weekday, whether it is open round
// the clock, the public-holiday region (read through server/lib/business-time.ts) and its own
// closures. The time zone stays the site's: it is not edited here. The change, its audit row and
// the new due times and timers of every open exception on the calendar commit in one
// transaction: a sweep sees either the old calendar with the old due times, or the new with the
// new, never the new calendar beside timers that still follow the old. Every site on the
// calendar follows it.

const minute = z.number().int();
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const region = z.string().trim().max(10);

const log = logger('calendars');

export const calendarEdit = z.object({
  calendarId: z.uuid(),
  alwaysOpen: z.boolean(),
  holidayCountry: region.nullable(),
  holidayState: region.nullable(),
  holidayRegion: region.nullable(),
  workingHours: z
    .array(z.object({ weekday: minute, opensMinute: minute, closesMinute: minute }))
    .max(70),
  closures: z
    .array(z.object({ date, name: z.string().trim().min(1, 'a closure needs a name').max(200) }))
    .max(500),
});

export type CalendarEdit = z.infer<typeof calendarEdit>;

function problemsOf(edit: CalendarEdit, timeZone: string): string[] {
  const spec: BusinessCalendarSpec = {
    timeZone,
    alwaysOpen: edit.alwaysOpen,
    workingHours: edit.workingHours,
  };
  const problems = calendarProblems(spec);
  const dates = edit.closures.map((c) => c.date);
  for (const d of dates) {
    const parsed = new Date(`${d}T00:00:00Z`);
    if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== d)
      problems.push(`${d} is not a date`);
  }
  if (new Set(dates).size !== dates.length) problems.push('a date is closed twice');
  if (!edit.holidayCountry && (edit.holidayState || edit.holidayRegion))
    problems.push('a holiday state or region needs its country');
  if (edit.holidayCountry) {
    const year = new Date().getUTCFullYear();
    const known = {
      country: edit.holidayCountry.toUpperCase(),
      state: edit.holidayState || null,
      region: edit.holidayRegion || null,
    };
    if (publicHolidays(known, year).size + publicHolidays(known, year + 1).size === 0)
      problems.push(`no public holidays are known for ${edit.holidayCountry}`);
  }

  return problems;
}

export async function editCalendar(
  db: Db,
  edit: CalendarEdit,
  actor: { userId: string; requestId: string | null },
): Promise<RecalculationOutcome> {
  const calendar = await db.businessCalendar.findUnique({
    where: { id: edit.calendarId },
    include: { workingHours: true, closures: true },
  });
  if (!calendar) throw new AppError('NOT_FOUND', 'No such calendar');
  const problems = problemsOf(edit, calendar.timeZone);
  if (problems.length > 0) throw new AppError('BAD_REQUEST', problems.join('; '));

  const outcome = await db.$transaction(
    async (tx) => {
      await tx.businessCalendar.update({
        where: { id: calendar.id },
        data: {
          alwaysOpen: edit.alwaysOpen,
          holidayCountry: edit.holidayCountry?.toUpperCase() || null,
          holidayState: edit.holidayCountry ? edit.holidayState || null : null,
          holidayRegion: edit.holidayCountry ? edit.holidayRegion || null : null,
        },
      });
      await tx.workingHours.deleteMany({ where: { calendarId: calendar.id } });
      await tx.workingHours.createMany({
        data: edit.workingHours.map((w) => ({ ...w, calendarId: calendar.id })),
      });
      await tx.calendarClosure.deleteMany({ where: { calendarId: calendar.id } });
      await tx.calendarClosure.createMany({
        data: edit.closures.map((c) => ({
          calendarId: calendar.id,
          date: new Date(`${c.date}T00:00:00Z`),
          name: c.name,
        })),
      });
      await writeAudit(tx, {
        entityType: 'BusinessCalendar',
        entityId: calendar.id,
        action: 'calendar.edited',
        actor: { type: 'USER', id: actor.userId },
        requestId: actor.requestId,
        data: {
          before: {
            alwaysOpen: calendar.alwaysOpen,
            holidays: [calendar.holidayCountry, calendar.holidayState, calendar.holidayRegion],
            workingHours: calendar.workingHours.map(({ weekday, opensMinute, closesMinute }) => ({
              weekday,
              opensMinute,
              closesMinute,
            })),
            closures: calendar.closures.map((c) => c.date.toISOString().slice(0, 10)),
          },
          after: { ...edit, calendarId: undefined },
        },
      });

      return recalculateInTransaction(tx, calendar.id);
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  log.info({ calendarId: calendar.id, ...outcome }, 'calendar saved, due times recomputed');

  return outcome;
}

export function listCalendars(db: Db) {
  return db.businessCalendar.findMany({
    orderBy: { code: 'asc' },
    include: {
      workingHours: { orderBy: [{ weekday: 'asc' }, { opensMinute: 'asc' }] },
      closures: { orderBy: { date: 'asc' } },
      sites: { select: { code: true, name: true }, orderBy: { code: 'asc' } },
    },
  });
}
