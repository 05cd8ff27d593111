import type { Db, Tx } from '../../db/client';
import { logger } from '../../lib/logger';
import { writeAudit } from '../audit/write-audit';
import { loadCalendar } from './calendar';
import { clockOf, loadClock, lockException, recomputedDueTimes } from './clock';
import { firedLevels, nextTimer, setTimers, type TimerSetting } from './schedule';

// A calendar changed (hours, holidays, closures, time zone): every active exception at a site on
// it gets its due times recomputed from its clock's start and pauses, and its timer moved. The
// editor runs it in the transaction that saves the change (recalculateInTransaction), so that no
// sweep ever sees the new calendar beside due times and timers that follow the old one; the
// version bump says that due times now follow the new calendar.

const log = logger('sla-recalculate');

export interface RecalculationOutcome {
  calendarVersion: number;
  exceptions: number;
}

export async function recalculateForCalendar(
  db: Db,
  calendarId: string,
  now: Date = new Date(),
): Promise<RecalculationOutcome> {
  const outcome = await db.$transaction((tx) => recalculateInTransaction(tx, calendarId, now), {
    timeout: 120_000,
    maxWait: 30_000,
  });
  log.info({ calendarId, ...outcome }, 'due times recomputed for a calendar change');

  return outcome;
}

/** The same, inside the caller's transaction: it sees the calendar as that transaction left it. */
export async function recalculateInTransaction(
  tx: Tx,
  calendarId: string,
  now: Date = new Date(),
): Promise<RecalculationOutcome> {
  const { version } = await tx.businessCalendar.update({
    where: { id: calendarId },
    data: { version: { increment: 1 } },
    select: { version: true },
  });
  const calendar = await loadCalendar(tx, calendarId);
  const active = await tx.exception.findMany({
    where: { site: { calendarId }, status: { in: ['OPEN', 'ACKNOWLEDGED', 'WAITING'] } },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  const timers: TimerSetting[] = [];
  for (const { id } of active) {
    await lockException(tx, id);
    const loaded = await loadClock(tx, id, calendar);
    if (!loaded) continue;
    const due = recomputedDueTimes(loaded);
    await tx.exception.update({ where: { id }, data: due });
    const ctx = clockOf({ ...loaded.exception, ...due }, calendar);
    const cycle = ctx.exception.reworkCount;
    const next = nextTimer(ctx, await firedLevels(tx, id, cycle), now);
    timers.push({ exceptionId: id, cycle, next });
  }
  // Every timer of the calendar moved in a few statements, whatever their number.
  await setTimers(tx, timers);
  await writeAudit(tx, {
    entityType: 'BusinessCalendar',
    entityId: calendarId,
    action: 'calendar.recalculated',
    actor: { type: 'SYSTEM', id: null },
    data: { version, exceptions: active.length },
  });

  return { calendarVersion: version, exceptions: active.length };
}
