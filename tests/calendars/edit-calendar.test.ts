import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../../server/api/root';
import type { Context } from '../../server/api/trpc';
import { createPrisma } from '../../server/db/client';
import { zonedInstant } from '../../server/domain/dispatch/departures';
import { openException } from '../../server/domain/exceptions/open-exception';
import { localDateIn } from '../../server/lib/business-time';
import type { SessionUser } from '../../server/domain/users/types';
import { logger } from '../../server/lib/logger';
import { createWorld, type World } from '../fixtures/world';

// Editing a site's business calendar through the admin procedure on real PostgreSQL: bad
// definitions are refused with the reason, a saved change is audited and moves the due times of
// the site's open exceptions.

const db = createPrisma(process.env.DATABASE_URL);
let world: World;

async function callerAs(role: 'ADMIN' | 'WAREHOUSE_SUPERVISOR') {
  const row = await db.user.create({
    data: { email: `${randomUUID()}@example.test`, name: role, passwordHash: 'x', role },
  });
  const user: SessionUser = { ...row, allSites: true, siteIds: [] };
  const ctx: Context = { db, user, requestId: randomUUID(), log: logger('test') };

  return { caller: createCaller(ctx), userId: row.id };
}

const weekdays = (opensMinute: number, closesMinute: number) =>
  [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opensMinute, closesMinute }));

beforeAll(async () => {
  world = await createWorld(db);
});

afterAll(() => db.$disconnect());

describe('calendar editing', () => {
  it('lets admins alone save, and refuses a definition that cannot be used', async () => {
    const { caller: supervisor } = await callerAs('WAREHOUSE_SUPERVISOR');
    const edit = {
      calendarId: world.calendarId,
      alwaysOpen: false,
      holidayCountry: 'US',
      holidayState: null,
      holidayRegion: null,
      workingHours: weekdays(480, 1080),
      closures: [],
    };
    await expect(supervisor.calendars.save(edit)).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const { caller: admin } = await callerAs('ADMIN');
    const refused = [
      { ...edit, workingHours: [] },
      { ...edit, workingHours: [{ weekday: 7, opensMinute: 480, closesMinute: 1080 }] },
      { ...edit, holidayCountry: 'QQ' },
      { ...edit, holidayCountry: null, holidayState: 'CA' },
      { ...edit, closures: [{ date: '2026-02-30', name: 'no such day' }] },
      {
        ...edit,
        closures: [
          { date: '2026-12-24', name: 'Eve' },
          { date: '2026-12-24', name: 'Eve again' },
        ],
      },
    ];
    for (const bad of refused) {
      await expect(admin.calendars.save(bad)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
  });

  it('saves hours, holidays and closures, audited, and moves the open exceptions’ due times', async () => {
    const { caller: admin, userId } = await callerAs('ADMIN');
    // Opened on a Saturday at noon: closed on the weekday calendar, so nothing is due before Monday.
    const saturday = zonedInstant({ year: 2026, month: 12, day: 12 }, 12 * 60, world.timeZone);
    const exception = await db.$transaction((tx) =>
      openException(
        tx,
        {
          type: 'CAPACITY',
          ownerTeam: 'DISPATCH',
          siteId: world.siteId,
          dedupeKey: `calendar-test:${world.suffix}`,
          title: 'No dock door free',
        },
        { now: saturday },
      ),
    );
    const before = await db.exception.findUniqueOrThrow({ where: { id: exception.id } });

    const outcome = await admin.calendars.save({
      calendarId: world.calendarId,
      alwaysOpen: true,
      holidayCountry: 'us',
      holidayState: 'CA',
      holidayRegion: null,
      workingHours: [],
      closures: [{ date: '2026-12-24', name: 'Christmas Eve' }],
    });
    expect(outcome.exceptions).toBeGreaterThanOrEqual(1);

    const saved = (await admin.calendars.list()).find((c) => c.id === world.calendarId)!;
    expect(saved).toMatchObject({ alwaysOpen: true, holidayCountry: 'US', holidayState: 'CA' });
    expect(saved.closures.map((c) => c.date.toISOString().slice(0, 10))).toEqual(['2026-12-24']);
    expect(saved.sites.map((s) => s.code)).toEqual([world.siteCode]);
    expect(saved.version).toBeGreaterThan(1);

    // Round the clock now: the clock counts from Saturday noon itself.
    const after = await db.exception.findUniqueOrThrow({ where: { id: exception.id } });
    expect(localDateIn(world.timeZone, before.firstResponseDueAt!)).toBe('2026-12-14');
    expect(localDateIn(world.timeZone, after.firstResponseDueAt!)).toBe('2026-12-12');
    expect(after.firstResponseDueAt!.getTime()).toBeLessThan(before.firstResponseDueAt!.getTime());
    const audit = await db.auditLog.findMany({
      where: { entityId: world.calendarId },
      orderBy: { seq: 'asc' },
    });
    expect(audit.map((a) => a.action)).toEqual(['calendar.edited', 'calendar.recalculated']);
    expect(audit[0]!.actorId).toBe(userId);
  });

  it('commits the calendar and the due times it moves together, never one without the other', async () => {
    const other = await createWorld(db);
    const { caller: admin } = await callerAs('ADMIN');
    const saturday = zonedInstant({ year: 2026, month: 12, day: 12 }, 12 * 60, other.timeZone);
    const exception = await db.$transaction((tx) =>
      openException(
        tx,
        {
          type: 'CAPACITY',
          ownerTeam: 'DISPATCH',
          siteId: other.siteId,
          dedupeKey: `calendar-atomic:${other.suffix}`,
          title: 'No dock door free',
        },
        { now: saturday },
      ),
    );
    const before = await db.exception.findUniqueOrThrow({ where: { id: exception.id } });

    // Someone holds the exception (a sweep firing it, a person acknowledging it): the save must
    // wait for it as a whole, not publish the new calendar while the due times wait.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const holder = db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM exceptions WHERE id = ${exception.id}::uuid FOR UPDATE`;
      locked();
      await held;
    });
    await lockTaken;
    const saving = admin.calendars.save({
      calendarId: other.calendarId,
      alwaysOpen: true,
      holidayCountry: null,
      holidayState: null,
      holidayRegion: null,
      workingHours: [],
      closures: [],
    });
    // Long enough for the save's own statements to run up to the exception's lock.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const meanwhile = await db.businessCalendar.findUniqueOrThrow({
      where: { id: other.calendarId },
    });
    const dueMeanwhile = await db.exception.findUniqueOrThrow({ where: { id: exception.id } });
    expect(meanwhile.alwaysOpen).toBe(false);
    expect(dueMeanwhile.firstResponseDueAt).toEqual(before.firstResponseDueAt);

    release();
    await holder;
    await saving;
    const saved = await db.businessCalendar.findUniqueOrThrow({ where: { id: other.calendarId } });
    const after = await db.exception.findUniqueOrThrow({ where: { id: exception.id } });
    expect(saved.alwaysOpen).toBe(true);
    expect(after.firstResponseDueAt!.getTime()).toBeLessThan(before.firstResponseDueAt!.getTime());
  });
});
