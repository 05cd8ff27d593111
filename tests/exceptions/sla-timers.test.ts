import { runOnce } from 'graphile-worker';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../server/db/client';
import { openException } from '../../server/domain/exceptions/open-exception';
import {
  acknowledgeException,
  resolveException,
  resumeException,
  waitOnException,
} from '../../server/domain/exceptions/transitions';
import { verifyChains, type ChainProblem } from '../../server/domain/audit/verify-chains';
import { recalculateForCalendar } from '../../server/domain/sla/recalculate';
import { SWEEP_TASK } from '../../server/domain/sla/schedule';
import { dueTimersLeft, sweepDueTimers } from '../../server/domain/sla/sweep';
import { startTimerAlarm } from '../../server/domain/sla/timer-alarm';
import { queueLogger } from '../../server/jobs/queue-logger';
import { createTaskList } from '../../server/jobs/tasks';
import { createMigratedDatabase, dropDatabase } from '../setup/test-database';
import { createOrg, dispatchException, timerOf, type Org } from './org-fixture';

// SLA timers as rows, fired by sweeps, in a database of this file's own (its sweeps take every
// due timer there is): a sweep fires each due level once and sets the next one; a worker that
// dies holding a claim fires nothing of it and the next worker fires it once; two sweeps at once
// share the work; a moved or cancelled timer never fires at its old moment; the worker's alarm
// fires a timer at its moment with no queue worker running. Sweeps with a fixed `now` use dates
// in 2031 and later, and each test counts only its own exceptions.

let url: string;
let db: Db;

beforeAll(async () => {
  url = await createMigratedDatabase(process.env.CT_ADMIN_DATABASE_URL!, 'ct_sla_timers');
  db = createPrisma(url, 10);
});

afterAll(async () => {
  await db?.$disconnect();
  if (url) await dropDatabase(process.env.CT_ADMIN_DATABASE_URL!, url);
});

const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;

async function openMany(org: Org, n: number, now: Date): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const { id } = await db.$transaction((tx) =>
      openException(tx, dispatchException(org, 'HIGH'), { now }),
    );
    ids.push(id);
  }

  return ids;
}

/** Per exception: its levels fired, its escalation audit entries and its escalation notices. */
async function firings(ids: string[]) {
  const [levels, audits, notes] = await Promise.all([
    db.exceptionEscalation.findMany({ where: { exceptionId: { in: ids } } }),
    db.auditLog.findMany({ where: { entityId: { in: ids }, action: 'exception.escalated' } }),
    db.notification.findMany({ where: { exceptionId: { in: ids }, kind: 'EXCEPTION_ESCALATED' } }),
  ]);

  return ids.map((id) => ({
    levels: levels
      .filter((l) => l.exceptionId === id)
      .map((l) => l.level)
      .sort(),
    audits: audits.filter((a) => a.entityId === id).length,
    notes: notes.filter((n) => n.exceptionId === id).length,
  }));
}

async function runWorker() {
  await runOnce({ connectionString: url, taskList: createTaskList(db), logger: queueLogger });
}

describe('a worker that dies holding its claim', () => {
  it('fires none of it; the next worker fires it once, and a restart fires nothing again', async () => {
    const org = await createOrg(db, { alwaysOpen: true, timeZone: 'America/New_York' });
    // Opened ten hours ago round the clock: all four levels of each are due now.
    const ids = await openMany(org, 6, new Date(Date.now() - 10 * HOUR));
    const held = ids.slice(0, 2);

    // Another worker has claimed two of them and written half its firing when it dies.
    const dying = new pg.Client({ connectionString: url });
    await dying.connect();
    dying.on('error', () => undefined);
    await dying.query('BEGIN');
    await dying.query('SELECT id FROM exceptions WHERE id = ANY($1::uuid[]) FOR UPDATE', [held]);
    await dying.query(
      `INSERT INTO exception_escalations (id, exception_id, cycle, level, due_at, recipient_ids)
       SELECT gen_random_uuid(), id, 0, 1, now(), '{}' FROM unnest($1::uuid[]) AS id`,
      [held],
    );
    const { pid } = (await dying.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!;

    await runWorker();
    expect(await dueTimersLeft(db)).toBe(true);
    await db.$executeRaw`SELECT pg_terminate_backend(${pid}::int)`;
    expect((await firings(held)).map((f) => f.levels)).toEqual([[], []]);

    // The sweep that met the claim asked for another a second later; the worker restarts.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await runWorker();
    await db.$executeRaw`SELECT graphile_worker.add_job(${SWEEP_TASK}::text, '{}'::json)`;
    await runWorker();

    expect(await firings(ids)).toEqual(
      ids.map(() => ({ levels: [1, 2, 3, 4], audits: 4, notes: 4 })),
    );
    expect(await dueTimersLeft(db)).toBe(false);
    for (const id of ids) expect(await timerOf(db, id)).toBeNull();
  });
});

describe('the sweep', () => {
  it('fires every due timer in one pass, each level once, and sets the next level', async () => {
    const org = await createOrg(db, { alwaysOpen: true, timeZone: 'America/New_York' });
    const opened = at('2031-03-03T12:00:00Z');
    const ids = await openMany(org, 12, opened);
    const firstResponseDue = at('2031-03-03T13:00:00Z'); // HIGH: 60 business minutes
    const resolutionDue = at('2031-03-03T20:00:00Z'); // and 480

    await sweepDueTimers(db, { now: at('2031-03-03T12:59:59Z') });
    expect((await firings(ids)).every((f) => f.levels.length === 0)).toBe(true);
    await sweepDueTimers(db, { now: firstResponseDue, chunkSize: 5 });
    await sweepDueTimers(db, { now: firstResponseDue, chunkSize: 5 });

    expect(await firings(ids)).toEqual(ids.map(() => ({ levels: [1], audits: 1, notes: 1 })));
    const breaches = await db.slaBreach.findMany({ where: { exceptionId: { in: ids } } });
    expect(breaches.map((b) => [b.kind, b.dueAt])).toEqual(
      ids.map(() => ['FIRST_RESPONSE', firstResponseDue]),
    );
    for (const id of ids) {
      expect(await timerOf(db, id)).toEqual({
        level: 2,
        dueAt: resolutionDue,
        sweepAt: resolutionDue,
      });
    }
    const exceptions = await db.exception.findMany({ where: { id: { in: ids } } });
    expect(exceptions.every((e) => e.escalationLevel === 1)).toBe(true);
    expect(exceptions.every((e) => e.nextEscalationAt?.getTime() === resolutionDue.getTime())).toBe(
      true,
    );
    const problems: ChainProblem[] = [];
    await verifyChains(db, (p) => problems.push(p));
    expect(problems).toEqual([]);
  });

  it('shares the due timers between two sweeps at once, firing each once', async () => {
    const org = await createOrg(db, { alwaysOpen: true, timeZone: 'America/New_York' });
    const ids = await openMany(org, 30, at('2031-04-07T12:00:00Z'));
    const other = createPrisma(url, 10);
    try {
      const now = at('2031-04-07T13:00:00Z');
      await Promise.all([
        sweepDueTimers(db, { now, chunkSize: 3 }),
        sweepDueTimers(other, { now, chunkSize: 3 }),
      ]);
    } finally {
      await other.$disconnect();
    }

    expect(await firings(ids)).toEqual(ids.map(() => ({ levels: [1], audits: 1, notes: 1 })));
  });
});

describe('a timer that moves or goes', () => {
  // Los Angeles, 08:00-17:00 on weekdays. Opened Monday 2031-06-02 09:00 PDT: the first response
  // is due 10:00, the resolution (480 business minutes) at the close, so Tuesday 08:00.
  const OPENED = at('2031-06-02T16:00:00Z');
  const FIRST_RESPONSE_DUE = at('2031-06-02T17:00:00Z');
  const RESOLUTION_DUE = at('2031-06-03T15:00:00Z');

  it('never fires at its old moment: acknowledged, paused, resumed, resolved', async () => {
    const org = await createOrg(db, { timeZone: 'America/Los_Angeles' });
    const [id] = await openMany(org, 1, OPENED);
    const actor = { type: 'SYSTEM' as const };

    await acknowledgeException(db, { exceptionId: id!, actor, now: at('2031-06-02T16:30:00Z') });
    expect(await timerOf(db, id!)).toMatchObject({ level: 2, dueAt: RESOLUTION_DUE });
    await sweepDueTimers(db, { now: FIRST_RESPONSE_DUE });
    expect((await firings([id!]))[0]!.levels).toEqual([]);

    await waitOnException(db, {
      exceptionId: id!,
      actor,
      reason: 'Carrier to confirm',
      now: at('2031-06-02T18:00:00Z'),
    });
    expect(await timerOf(db, id!)).toBeNull();
    await sweepDueTimers(db, { now: RESOLUTION_DUE });
    expect((await firings([id!]))[0]!.levels).toEqual([]);

    // Two business hours waiting: the resolution is due two hours later, Tuesday 10:00.
    await resumeException(db, { exceptionId: id!, actor, now: at('2031-06-02T20:00:00Z') });
    const pushed = at('2031-06-03T17:00:00Z');
    expect(await timerOf(db, id!)).toMatchObject({ level: 2, dueAt: pushed });
    await sweepDueTimers(db, { now: RESOLUTION_DUE });
    expect((await firings([id!]))[0]!.levels).toEqual([]);
    await sweepDueTimers(db, { now: pushed });
    expect((await firings([id!]))[0]!.levels).toEqual([2]);

    await resolveException(db, {
      exceptionId: id!,
      actor,
      resolutionCode: 'REBOOKED',
      note: 'Booked on the next trip',
      now: at('2031-06-03T17:30:00Z'),
    });
    expect(await timerOf(db, id!)).toBeNull();
    await sweepDueTimers(db, { now: at('2031-06-10T00:00:00Z') });
    expect((await firings([id!]))[0]!.levels).toEqual([2]);
  });

  it('moves with its calendar: a new closure on the due day fires it the next working day', async () => {
    const org = await createOrg(db, { timeZone: 'America/Los_Angeles' });
    const [id] = await openMany(org, 1, OPENED);
    await acknowledgeException(db, {
      exceptionId: id!,
      actor: { type: 'SYSTEM' },
      now: at('2031-06-02T16:30:00Z'),
    });
    await db.calendarClosure.create({
      data: { calendarId: org.calendarId, date: at('2031-06-03T00:00:00Z'), name: 'Stocktake' },
    });
    await recalculateForCalendar(db, org.calendarId, at('2031-06-02T17:00:00Z'));
    const moved = at('2031-06-04T15:00:00Z'); // Wednesday 08:00 PDT

    expect(await timerOf(db, id!)).toMatchObject({ level: 2, dueAt: moved, sweepAt: moved });
    await sweepDueTimers(db, { now: RESOLUTION_DUE });
    expect((await firings([id!]))[0]!.levels).toEqual([]);
    await sweepDueTimers(db, { now: moved });
    expect((await firings([id!]))[0]!.levels).toEqual([2]);
  });
});

describe('the worker’s alarm', () => {
  it('fires a timer set after it started at its moment, with no queue worker running', async () => {
    const org = await createOrg(db, { alwaysOpen: true, timeZone: 'America/New_York' });
    await db.slaPolicy.create({
      data: {
        exceptionType: 'CAPACITY',
        severity: 'CRITICAL',
        firstResponseValue: 1,
        resolutionValue: 240,
      },
    });
    const alarm = await startTimerAlarm(url, db);
    try {
      // One business minute round the clock, opened 58 s ago: due in two seconds.
      const { id } = await db.$transaction((tx) =>
        openException(tx, dispatchException(org, 'CRITICAL'), {
          now: new Date(Date.now() - 58_000),
        }),
      );
      const deadline = Date.now() + 30_000;
      while ((await firings([id]))[0]!.levels.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }

      // Nothing ran the queue: the alarm fired it.
      expect(await firings([id])).toEqual([{ levels: [1], audits: 1, notes: 1 }]);
      expect(await timerOf(db, id)).toMatchObject({ level: 2 });
    } finally {
      await alarm.stop();
    }
  });
});
