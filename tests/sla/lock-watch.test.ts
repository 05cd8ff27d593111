import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../server/db/client';
import { lockWatch } from '../../server/domain/sla/lock-watch';
import { createMigratedDatabase, dropDatabase } from '../setup/test-database';

// The watch a sweep ahead keeps on its chunks' locks: a backend waiting for a row one of them
// locked (FOR UPDATE, UPDATE, the second waiter queued behind the first) is seen within a poll
// or two; a sweep's own other lanes, and rows nobody waits for, are not.

let url: string;
let db: Db;

beforeAll(async () => {
  url = await createMigratedDatabase(process.env.CT_ADMIN_DATABASE_URL!, 'ct_sla_lock_watch');
  db = createPrisma(url, 10);
  await db.$executeRaw`CREATE TABLE watched_rows (id int PRIMARY KEY, n int NOT NULL)`;
  await db.$executeRaw`INSERT INTO watched_rows VALUES (1, 0), (2, 0)`;
});

afterAll(async () => {
  await db?.$disconnect();
  if (url) await dropDatabase(process.env.CT_ADMIN_DATABASE_URL!, url);
});

/** Holds row `id` locked in a transaction until `release` resolves; tells its backend's pid. */
function holdRow(id: number, release: Promise<void>) {
  let pid!: (n: number) => void;
  const locked = new Promise<number>((resolve) => (pid = resolve));
  const done = db.$transaction(
    async (tx) => {
      const [row] = await tx.$queryRaw<{ pid: number }[]>`
        SELECT pg_backend_pid() AS pid FROM watched_rows WHERE id = ${id} FOR UPDATE`;
      pid(row!.pid);
      await release;
    },
    { timeout: 20_000 },
  );

  return { locked, done };
}

/** The backend that waits for a lock, once one does. */
async function waitingPid(): Promise<number> {
  for (let tries = 0; tries < 200; tries += 1) {
    const [row] = await db.$queryRaw<{ pid: number }[]>`
      SELECT pid FROM pg_stat_activity
      WHERE wait_event_type = 'Lock' AND datname = current_database() LIMIT 1`;
    if (row) return row.pid;
    await later(10);
  }
  throw new Error('nobody waits for a lock');
}

function later(ms: number) {
  return new Promise<'later'>((resolve) => setTimeout(() => resolve('later'), ms));
}

describe('lockWatch', () => {
  it('sees a row-lock waiter, and the one queued behind it, and nothing before', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const holder = holdRow(1, released);
    const watch = lockWatch(db, 10);
    const watched = watch.watch(await holder.locked);
    try {
      expect(await Promise.race([watched.inTheWay.then(() => 'seen'), later(150)])).toBe('later');
      expect(watched.isInTheWay()).toBe(false);

      // Started here: a query of the client runs once something waits for it.
      const waiters = Promise.all([
        db.$executeRaw`UPDATE watched_rows SET n = n + 1 WHERE id = 1`,
        db.$queryRaw`SELECT id FROM watched_rows WHERE id = 1 FOR UPDATE`,
      ]);
      expect(await Promise.race([watched.inTheWay.then(() => 'seen'), later(2_000)])).toBe('seen');
      expect(watched.isInTheWay()).toBe(true);
      release();
      await holder.done;
      await waiters;
    } finally {
      release();
      watched.done();
      watch.stop();
    }
  });

  it('does not count a wait between two of the backends it watches, nor another row', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const first = holdRow(2, released);
    const firstPid = await first.locked;
    // The second waits for the first; the third holds a row nobody wants.
    const second = holdRow(2, released);
    const secondPid = await waitingPid();
    const other = holdRow(1, released);
    const watch = lockWatch(db, 10);
    const [a, b, c] = [firstPid, secondPid, await other.locked].map((pid) => watch.watch(pid));
    try {
      await later(150);
      expect([a!.isInTheWay(), b!.isInTheWay(), c!.isInTheWay()]).toEqual([false, false, false]);
    } finally {
      release();
      for (const w of [a, b, c]) w!.done();
      watch.stop();
      await Promise.all([first.done, second.done, other.done]);
    }
  });
});
