import { runOnce } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../server/db/client';
import type { Exception } from '../../server/db/generated/client';
import {
  acknowledgeException,
  resolveException,
  waitOnException,
} from '../../server/domain/exceptions/transitions';
import { verifyChains, type ChainProblem } from '../../server/domain/audit/verify-chains';
import { sweepAhead } from '../../server/domain/sla/sweep';
import { startTimerAlarm } from '../../server/domain/sla/timer-alarm';
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

// Timers fired ahead of their moment, in a database of this file's own (its sweeps and alarms
// take every due timer there is): a chunk written ahead commits at the due moment and never
// before it, with every row stamped with that moment; a change of one of its exceptions sent
// while the chunk waits (acknowledged, waiting, resolved) is recorded at once, before the moment,
// and nothing fires for it; two workers' alarms fire a burst together, each level once. Due
// moments are a few seconds from the real clock.

let url: string;
let db: Db;
const SYSTEM = { type: 'SYSTEM' } as const;

beforeAll(async () => {
  url = await createMigratedDatabase(process.env.CT_ADMIN_DATABASE_URL!, 'ct_sla_ahead');
  db = createPrisma(url, 10);
  // One business minute to the first response, so that an exception opened a minute before a
  // moment is due at that moment.
  await oneMinuteFirstResponse(db);
  // A worker's start registers the product's tasks with the queue. Until then the first sweep
  // that enqueues an e-mail job registers its task, and a second chunk waits for it to commit.
  await runOnce({ connectionString: url, taskList: createTaskList(db), logger: queueLogger });
});

afterAll(async () => {
  await db?.$disconnect();
  if (url) await dropDatabase(process.env.CT_ADMIN_DATABASE_URL!, url);
});

/** A whole second at least `ms` from now, as the bench's due moments are. */
function dueIn(ms: number): Date {
  return new Date(Math.ceil((Date.now() + ms) / 1000) * 1000);
}

/** `n` open exceptions whose first response is due at `dueAt`. */
function openDueAt(org: Org, n: number, dueAt: Date): Promise<string[]> {
  return openExceptionsInBulk(db, org, n, new Date(dueAt.getTime() - 60_000));
}

async function escalationsOf(ids: string[]) {
  return db.exceptionEscalation.findMany({ where: { exceptionId: { in: ids } } });
}

/**
 * Polls until every exception's first level is visible: the moment it was first seen, and
 * whether any poll before `dueAt` saw one (a commit before its moment).
 */
async function watch(ids: string[], dueAt: Date, deadlineMs = 30_000) {
  let seenEarly = false;
  let firstSeenAt: number | null = null;
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const before = Date.now();
    const n = await db.exceptionEscalation.count({ where: { exceptionId: { in: ids } } });
    if (n > 0 && before < dueAt.getTime()) seenEarly = true;
    if (n > 0 && firstSeenAt === null) firstSeenAt = before;
    if (n >= ids.length) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }

  return { seenEarly, firstSeenAt };
}

describe('a sweep ahead of the due moment', () => {
  it('commits at the moment and not before, every row stamped with it', async () => {
    const org = await createOrg(db, { alwaysOpen: true, timeZone: 'America/Chicago' });
    const dueAt = dueIn(3_000);
    const ids = await openDueAt(org, 20, dueAt);
    let preparedAt = 0;

    const sweep = sweepAhead(db, new Date(dueAt.getTime() + 50), {
      chunkSize: 10,
      parallel: 2,
      onPrepared: () => {
        preparedAt = Math.max(preparedAt, Date.now());
      },
    });
    const seen = await watch(ids, dueAt);
    const outcome = await sweep;

    expect(outcome).toEqual({ exceptions: 20, levels: 20, failed: 0 });
    // Written well ahead, seen only once due.
    expect(preparedAt).toBeLessThan(dueAt.getTime());
    expect(seen.seenEarly).toBe(false);
    expect(seen.firstSeenAt).not.toBeNull();
    const levels = await escalationsOf(ids);
    expect(levels.map((l) => [l.level, l.firedAt.getTime()])).toEqual(
      ids.map(() => [1, dueAt.getTime()]),
    );
    const [notes, breaches, audits] = await Promise.all([
      db.notification.findMany({
        where: { exceptionId: { in: ids }, kind: 'EXCEPTION_ESCALATED' },
      }),
      db.slaBreach.findMany({ where: { exceptionId: { in: ids } } }),
      db.auditLog.findMany({ where: { entityId: { in: ids }, action: 'exception.escalated' } }),
    ]);
    expect(notes).toHaveLength(20);
    expect(notes.every((n) => n.createdAt.getTime() === dueAt.getTime())).toBe(true);
    expect(breaches.map((b) => [b.kind, b.recordedAt.getTime()])).toEqual(
      ids.map(() => ['FIRST_RESPONSE', dueAt.getTime()]),
    );
    expect(audits).toHaveLength(20);
    expect(audits.every((a) => a.at.getTime() >= dueAt.getTime())).toBe(true);
    const exceptions = await db.exception.findMany({ where: { id: { in: ids } } });
    expect(exceptions.every((e) => e.escalatedAt?.getTime() === dueAt.getTime())).toBe(true);
    for (const id of ids) expect(await timerOf(db, id)).toMatchObject({ level: 2 });
    const problems: ChainProblem[] = [];
    await verifyChains(db, (p) => problems.push(p));
    expect(problems).toEqual([]);
  });

  const changes = [
    {
      change: 'an acknowledgement',
      send: (id: string) => acknowledgeException(db, { exceptionId: id, actor: SYSTEM }),
      status: 'ACKNOWLEDGED',
      stampedAt: (e: Exception) => e.acknowledgedAt,
      nextLevel: 2,
    },
    {
      change: 'a wait on someone outside',
      send: (id: string) =>
        waitOnException(db, { exceptionId: id, actor: SYSTEM, reason: 'carrier to confirm' }),
      status: 'WAITING',
      stampedAt: (e: Exception) => e.waitingSince,
      nextLevel: null,
    },
    {
      change: 'a resolve',
      send: (id: string) =>
        resolveException(db, {
          exceptionId: id,
          actor: SYSTEM,
          resolutionCode: 'FIXED',
          note: 'rebooked',
        }),
      status: 'RESOLVED',
      stampedAt: (e: Exception) => e.resolvedAt,
      nextLevel: null,
    },
  ] as const;

  it.each(changes)(
    'gives way to $change sent while it waits: recorded before the moment, nothing fired for it',
    async ({ send, status, stampedAt, nextLevel }) => {
      const org = await createOrg(db, { alwaysOpen: true, timeZone: 'America/Chicago' });
      const dueAt = dueIn(2_500);
      const [id, other] = await openDueAt(org, 2, dueAt);
      let prepared!: () => void;
      const isPrepared = new Promise<void>((resolve) => (prepared = resolve));

      const sweep = sweepAhead(db, dueAt, { parallel: 1, onPrepared: () => prepared() });
      await isPrepared;
      const sentAt = Date.now();
      const result = await send(id!);
      const doneAt = Date.now();
      const outcome = await sweep;

      // Not held until the moment: the chunk rolled back at once, and claimed again what is due.
      expect(doneAt).toBeLessThan(dueAt.getTime());
      expect(doneAt - sentAt).toBeLessThan(1_000);
      const exception = await db.exception.findUniqueOrThrow({ where: { id: id! } });
      expect(exception.status).toBe(status);
      expect(stampedAt(exception)!.getTime()).toBeLessThan(dueAt.getTime());
      expect(await escalationsOf([id!])).toEqual([]);
      expect(await db.slaBreach.findMany({ where: { exceptionId: id! } })).toEqual([]);
      const audits = await db.auditLog.findMany({
        where: { entityId: id!, action: 'exception.escalated' },
      });
      expect(audits).toEqual([]);
      expect(result.status).toBe(status);
      if (nextLevel) expect(await timerOf(db, id!)).toMatchObject({ level: nextLevel });
      else expect(await timerOf(db, id!)).toBeNull();
      // The other exception of the chunk still fires at the moment, once.
      expect(outcome).toMatchObject({ levels: 1, failed: 0 });
      const levels = await escalationsOf([other!]);
      expect(levels.map((l) => [l.level, l.firedAt.getTime()])).toEqual([[1, dueAt.getTime()]]);
    },
  );
});

describe('two workers’ alarms', () => {
  it('fire a burst due at one moment together, each level once and none early', async () => {
    const other = createPrisma(url, 10);
    const alarms = [await startTimerAlarm(url, db), await startTimerAlarm(url, other)];
    try {
      const org = await createOrg(db, { alwaysOpen: true, timeZone: 'America/Chicago' });
      const dueAt = dueIn(5_000);
      const ids = await openDueAt(org, 60, dueAt);
      expect(Date.now()).toBeLessThan(dueAt.getTime());

      const seen = await watch(ids, dueAt);

      expect(seen.seenEarly).toBe(false);
      const levels = await escalationsOf(ids);
      expect(levels.map((l) => l.exceptionId).sort()).toEqual([...ids].sort());
      expect(levels.every((l) => l.level === 1 && l.firedAt.getTime() === dueAt.getTime())).toBe(
        true,
      );
      const audits = await db.auditLog.findMany({
        where: { entityId: { in: ids }, action: 'exception.escalated' },
      });
      expect(audits).toHaveLength(ids.length);
      expect(audits.every((a) => a.at.getTime() >= dueAt.getTime())).toBe(true);
    } finally {
      for (const alarm of alarms) await alarm.stop();
      await other.$disconnect();
    }
  });
});
