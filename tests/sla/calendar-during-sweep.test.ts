import { runOnce } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../server/db/client';
import { recalculateForCalendar } from '../../server/domain/sla/recalculate';
import { sweepAhead } from '../../server/domain/sla/sweep';
import { queueLogger } from '../../server/jobs/queue-logger';
import { createTaskList } from '../../server/jobs/tasks';
import { createMigratedDatabase, dropDatabase } from '../setup/test-database';
import {
  createOrg,
  oneMinuteFirstResponse,
  openExceptionsInBulk,
  timerOf,
  type Org,
} from '../exceptions/org-fixture';

// A calendar saved while a sweep ahead waits for the due moment with a firing prepared by the
// old calendar: the firing follows the calendar in force at the moment, not the one it was
// prepared with. In a database of this file's own, as its sweeps take every due timer there is.

let url: string;
let db: Db;

beforeAll(async () => {
  url = await createMigratedDatabase(process.env.CT_ADMIN_DATABASE_URL!, 'ct_sla_calendar_sweep');
  db = createPrisma(url, 10);
  await oneMinuteFirstResponse(db);
  await runOnce({ connectionString: url, taskList: createTaskList(db), logger: queueLogger });
});

afterAll(async () => {
  await db?.$disconnect();
  if (url) await dropDatabase(process.env.CT_ADMIN_DATABASE_URL!, url);
});

/** A whole second at least `ms` from now. */
function dueIn(ms: number): Date {
  return new Date(Math.ceil((Date.now() + ms) / 1000) * 1000);
}

/** An open exception whose first response is due at `dueAt`. */
async function openDueAt(org: Org, dueAt: Date): Promise<string> {
  const [id] = await openExceptionsInBulk(db, org, 1, new Date(dueAt.getTime() - 60_000));

  return id!;
}

/** A sweep ahead of `dueAt`, once its chunk is prepared and waits for the moment. */
async function preparedSweep(dueAt: Date) {
  let prepared!: () => void;
  const isPrepared = new Promise<void>((resolve) => (prepared = resolve));
  const sweep = sweepAhead(db, dueAt, { parallel: 1, onPrepared: () => prepared() });
  await isPrepared;

  // In an object: an async function's promise would take on the sweep's and wait for it.
  return { sweep };
}

describe('a calendar saved before the due moment of a firing prepared ahead', () => {
  // Round the clock, then weekday business hours only and closed for the days around now: by
  // the new calendar, the first response is due on a working day after them, not at the moment.
  const ZONE = 'America/Chicago';
  const closeAroundNow = (org: Org) => {
    const day = (offset: number) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(
        new Date(Date.now() + offset * 86_400_000),
      );

    return db.businessCalendar.update({
      where: { id: org.calendarId },
      data: {
        alwaysOpen: false,
        closures: {
          create: [-1, 0, 1].map((d) => ({
            date: new Date(`${day(d)}T00:00:00Z`),
            name: 'Stock count',
          })),
        },
      },
    });
  };

  it('with its recalculation: the level does not fire, its timer moves to the new moment', async () => {
    const org = await createOrg(db, { alwaysOpen: true, timeZone: ZONE });
    const dueAt = dueIn(2_500);
    const id = await openDueAt(org, dueAt);
    const { sweep } = await preparedSweep(dueAt);
    await closeAroundNow(org);
    expect(Date.now()).toBeLessThan(dueAt.getTime());
    const recalculation = recalculateForCalendar(db, org.calendarId);
    await sweep;
    await recalculation;

    const exception = await db.exception.findUniqueOrThrow({ where: { id } });
    expect(exception.firstResponseDueAt!.getTime()).toBeGreaterThan(dueAt.getTime());
    expect(await db.exceptionEscalation.findMany({ where: { exceptionId: id } })).toEqual([]);
    expect(await db.slaBreach.findMany({ where: { exceptionId: id } })).toEqual([]);
    expect(await timerOf(db, id)).toMatchObject({ level: 1, dueAt: exception.firstResponseDueAt });
  });

  it('before its recalculation: the sweep times the exception by the new calendar', async () => {
    const org = await createOrg(db, { alwaysOpen: true, timeZone: ZONE });
    const dueAt = dueIn(2_500);
    const id = await openDueAt(org, dueAt);
    const { sweep } = await preparedSweep(dueAt);

    await closeAroundNow(org);
    expect(Date.now()).toBeLessThan(dueAt.getTime());
    const outcome = await sweep;

    expect(outcome).toMatchObject({ exceptions: 1, levels: 0, failed: 0 });
    const exception = await db.exception.findUniqueOrThrow({ where: { id } });
    expect(exception.firstResponseDueAt!.getTime()).toBeGreaterThan(dueAt.getTime());
    expect(await db.exceptionEscalation.findMany({ where: { exceptionId: id } })).toEqual([]);
    expect(await db.slaBreach.findMany({ where: { exceptionId: id } })).toEqual([]);
    expect(await timerOf(db, id)).toMatchObject({ level: 1, dueAt: exception.firstResponseDueAt });
  });
});
