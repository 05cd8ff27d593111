import { randomUUID } from 'node:crypto';
import { run, type Task } from 'graphile-worker';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrisma } from '../../server/db/client';
import {
  batchSpec,
  distinctItems,
  mergeBatches,
  unkeyedBatchSpec,
} from '../../server/jobs/batch-jobs';
import { BRANCH_TASKS, branchJob } from '../../server/domain/readiness/branch-jobs';
import { enqueueJobs, jobSpecsJson } from '../../server/jobs/enqueue';
import { createTaskList, TOGETHER_MAX } from '../../server/jobs/tasks';
import { queueLogger } from '../../server/jobs/queue-logger';
import { createReadyShipment, createWorld } from '../fixtures/world';
import { batchHelpers as jobHelpers, queuedItems, waitForLockWait } from './jobs';

// Work items gathered into batch jobs per shard (jobs/batch-jobs.ts): what a batch does with a
// failing item, how specs of one key are merged, and enqueue_jobs adding the job that
// graphile-worker's add_jobs drops when a worker takes the pending job of its key meanwhile.

const url = process.env.DATABASE_URL!;
const db = createPrisma(url);
afterAll(() => db.$disconnect());

const logged: string[] = [];
const batchHelpers = (priority: number, maxAttempts: number) =>
  jobHelpers(logged, priority, maxAttempts);

interface JobRow {
  key: string | null;
  payload: unknown;
  priority: number;
  max_attempts: number;
  locked_at: Date | null;
}

async function jobsOf(task: string): Promise<JobRow[]> {
  return db.$queryRaw<JobRow[]>`
    SELECT j.key, j.payload, j.priority, j.max_attempts, j.locked_at
    FROM graphile_worker._private_jobs j
    JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE t.identifier = ${task} ORDER BY j.id`;
}

/**
 * Runs a batch as the worker would: the batch, then the batch its slice left (taken off the
 * queue), until none of `items` is left in a batch.
 */
async function runToTheEnd(task: Task, name: string, items: { shipmentId: string }[]) {
  const ids = new Set(items.map((i) => i.shipmentId));
  let payload: unknown[] = items;
  for (let round = 0; round < 50 && payload.length > 0; round += 1) {
    await task(payload, batchHelpers(10, 8));
    const left = await db.$queryRaw<{ payload: { shipmentId: string }[] }[]>`
      DELETE FROM graphile_worker._private_jobs j
      USING graphile_worker._private_tasks t
      WHERE t.id = j.task_id AND t.identifier = ${name} AND json_typeof(j.payload) = 'array'
        AND EXISTS (SELECT 1 FROM json_array_elements(j.payload) AS i
                    WHERE i->>'shipmentId' = ANY(${[...ids]}::text[]))
      RETURNING j.payload`;
    payload = left.flatMap((j) => j.payload);
  }
  expect(payload).toEqual([]);
}

describe('a batch job', () => {
  it('runs every item, and hands a failing one to a job of its own with the batch retries', async () => {
    const world = await createWorld(db);
    const good = await createReadyShipment(db, world, { quantity: 10 });
    // Rating refuses a negative weight on every attempt.
    const bad = await createReadyShipment(db, world, { quantity: 10, weightKg: '-1' });
    const other = await createReadyShipment(db, world, { quantity: 10 });
    const tasks = createTaskList(db);
    const items = [good, bad, good, other].map((s) => ({ shipmentId: s.shipmentId }));

    await runToTheEnd(tasks.prevalidate_billing!, 'prevalidate_billing', items);

    expect(await db.charge.count({ where: { shipmentId: good.shipmentId } })).toBeGreaterThan(0);
    expect(await db.charge.count({ where: { shipmentId: other.shipmentId } })).toBeGreaterThan(0);
    expect(await db.charge.count({ where: { shipmentId: bad.shipmentId } })).toBe(0);
    const single = (await jobsOf('prevalidate_billing')).filter(
      (j) => j.key === `prevalidate_billing:${bad.shipmentId}`,
    );
    expect(single).toEqual([
      {
        key: `prevalidate_billing:${bad.shipmentId}`,
        payload: { shipmentId: bad.shipmentId },
        priority: 10,
        max_attempts: 8,
        locked_at: null,
      },
    ]);
    expect(logged.some((m) => m.includes(bad.shipmentId) && /Negative/.test(m))).toBe(true);
    // Not yet a failed job: the item has its own retries ahead of it.
    expect(
      await db.exception.count({
        where: { dedupeKey: `job:prevalidate_billing:${bad.shipmentId}` },
      }),
    ).toBe(0);
  });

  it('leaves a failing item to its own job when that job already waits for a retry', async () => {
    const world = await createWorld(db);
    const bad = await createReadyShipment(db, world, { quantity: 10, weightKg: '-1' });
    const key = `prevalidate_billing:${bad.shipmentId}`;
    const tasks = createTaskList(db);
    await tasks.prevalidate_billing!([{ shipmentId: bad.shipmentId }], batchHelpers(10, 8));
    // Its own job has failed twice since, and waits for its next attempt.
    await db.$executeRaw`
      UPDATE graphile_worker._private_jobs SET attempts = 2, run_at = now() + interval '1 minute'
      WHERE key = ${key}`;

    await tasks.prevalidate_billing!([{ shipmentId: bad.shipmentId }], batchHelpers(10, 8));

    const own = await db.$queryRaw<{ attempts: number }[]>`
      SELECT attempts FROM graphile_worker._private_jobs WHERE key = ${key}`;
    expect(own).toEqual([{ attempts: 2 }]);
  });

  it('runs one slice of its items and queues the rest as a batch, losing none', async () => {
    const world = await createWorld(db);
    const shipments = [];
    for (let i = 0; i < TOGETHER_MAX + 6; i += 1)
      shipments.push(await createReadyShipment(db, world, { quantity: 5 }));
    const tasks = createTaskList(db);
    const items = shipments.map((s) => ({ shipmentId: s.shipmentId }));
    // Another run of the first item's billing holds it for longer than a slice: the batch's
    // first TOGETHER_MAX items, made together, wait for it, and the slice is over when they end.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `billing:${items[0]!.shipmentId}`,
    ]);
    const released = new Promise((resolve) => setTimeout(resolve, 100)).then(() =>
      holder.query('COMMIT').finally(() => holder.end()),
    );

    await tasks.prevalidate_billing!(items, batchHelpers(10, 8));
    await released;

    const rated = new Set(
      (
        await db.charge.findMany({
          where: { shipmentId: { in: items.map((i) => i.shipmentId) } },
          select: { shipmentId: true },
        })
      ).map((c) => c.shipmentId),
    );
    const queued = (await jobsOf('prevalidate_billing')).filter((j) => Array.isArray(j.payload));
    const rest = queued.flatMap((j) => j.payload as { shipmentId: string }[]);
    const mine = rest.filter((r) => items.some((i) => i.shipmentId === r.shipmentId));
    // One slice: the first TOGETHER_MAX items; the rest are left, and none is both or neither.
    expect(rated.size).toBe(TOGETHER_MAX);
    expect(mine.length).toBe(6);
    expect(mine.every((r) => !rated.has(r.shipmentId))).toBe(true);
    expect(queued.every((j) => j.priority === 10 && j.max_attempts === 8)).toBe(true);
  });

  it('runs a batch of the applies priority to its end, unsliced', async () => {
    const world = await createWorld(db);
    const shipments = [];
    for (let i = 0; i < 12; i += 1)
      shipments.push(await createReadyShipment(db, world, { quantity: 5 }));
    const items = shipments.map((s) => ({ shipmentId: s.shipmentId }));

    await createTaskList(db).prevalidate_billing!(items, batchHelpers(0, 8));

    const rated = await db.charge.groupBy({
      by: ['shipmentId'],
      where: { shipmentId: { in: items.map((i) => i.shipmentId) } },
    });
    expect(rated).toHaveLength(12);
  });
});

describe('batch specs', () => {
  it('merges specs of one key into one array payload and leaves the others alone', () => {
    const a = batchSpec('t', { key: 't:a', payload: { id: 'a' } });
    const sameShard = { ...batchSpec('t', { key: 't:b', payload: { id: 'b' } }), jobKey: a.jobKey };
    const single = { task: 't', payload: { id: 'c' }, jobKey: 't:c' };
    const merged = mergeBatches([a, single, sameShard]);

    expect(merged).toEqual([{ ...a, payload: [{ id: 'a' }, { id: 'b' }] }, single]);
    expect(a.payload).toEqual([{ id: 'a' }]);
    expect(
      distinctItems([{ id: 'a' }, { id: 'b' }, { id: 'a' }], (i) => i.id).map((i) => i.id),
    ).toEqual(['a', 'b']);
  });

  it('makes the unkeyed batches of one call one job per task and options', () => {
    const branch = (id: string) => branchJob('slot_shipment', id);
    const other = unkeyedBatchSpec('slot_shipment', [{ shipmentId: 'x' }], { priority: 3 });
    const merged = mergeBatches([
      branch('a'),
      other,
      branch('b'),
      branchJob('prevalidate_billing', 'a'),
    ]);

    expect(merged.map((j) => [j.task, j.priority, j.jobKey, j.payload])).toEqual([
      ['slot_shipment', 10, undefined, [{ shipmentId: 'a' }, { shipmentId: 'b' }]],
      ['slot_shipment', 3, undefined, [{ shipmentId: 'x' }]],
      ['prevalidate_billing', 10, undefined, [{ shipmentId: 'a' }]],
    ]);
  });

  it('enqueues the branches of decisions that no other transaction waits for', async () => {
    // Two transactions' decisions into READY, with their branch jobs: 20 shipments each, so
    // that any per-shard pending job they would both extend is certain to be shared.
    const ids = (n: number) => Array.from({ length: n }, () => randomUUID());
    const specs = (shipments: string[]) =>
      jobSpecsJson(shipments.flatMap((id) => BRANCH_TASKS.map((t) => branchJob(t, id))));
    const [known, mine, theirs] = [ids(1), ids(20), ids(20)];
    // The tasks known to the queue, as a running product's are (a new task's row is locked).
    await db.$executeRaw`SELECT enqueue_jobs(${specs(known)}::json)`;
    const first = new pg.Client({ connectionString: url });
    const second = new pg.Client({ connectionString: url });
    await Promise.all([first.connect(), second.connect()]);
    try {
      await first.query('BEGIN');
      await first.query('SELECT enqueue_jobs($1::json)', [specs(mine)]);
      // While the first is open, the second enqueues and commits: waiting on the first's rows
      // or locks would fail the statement.
      await second.query(`SET lock_timeout = '2s'`);
      await second.query('BEGIN');
      await second.query('SELECT enqueue_jobs($1::json)', [specs(theirs)]);
      await second.query('COMMIT');
      await first.query('COMMIT');
    } finally {
      await Promise.all([first.end(), second.end()]);
    }

    const queued = await db.$queryRaw<{ task: string; items: string[] }[]>`
      SELECT t.identifier AS task, array(SELECT i->>'shipmentId' FROM json_array_elements(j.payload) AS i) AS items
      FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE j.key IS NULL AND json_typeof(j.payload) = 'array'
        AND j.payload->0->>'shipmentId' = ANY(${[mine[0], theirs[0]]}::text[])
      ORDER BY j.id`;
    // One job per task for each transaction; within a call, add_jobs orders the jobs its own
    // way (by the tasks' rows, which other test files may have made in another order).
    const byTask = (jobs: { task: string; items: string[] }[]) =>
      [...jobs].sort((a, b) => a.task.localeCompare(b.task));
    expect(byTask(queued.slice(0, 3))).toEqual(
      byTask(BRANCH_TASKS.map((task) => ({ task, items: mine }))),
    );
    expect(byTask(queued.slice(3))).toEqual(
      byTask(BRANCH_TASKS.map((task) => ({ task, items: theirs }))),
    );
  });

  it("runs a shard's batches one at a time, gathering what arrives meanwhile in the next", async () => {
    const task = `shard_probe_${Date.now()}`;
    const spec = (id: string) => batchSpec(task, { key: id, payload: { id } });
    // Items of one shard: the first item's, found among fresh keys.
    const shard = spec('a').jobKey;
    const ids = ['a', ...Array.from({ length: 200 }, (_, i) => `k${i}`)]
      .filter((id) => spec(id).jobKey === shard)
      .slice(0, 4);
    const runs: { ids: string[]; start: number; end: number }[] = [];
    let calls = 0;
    let release!: () => void;
    const firstHeld = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const firstStarted = new Promise<void>((resolve) => (started = resolve));
    const runner = await run({
      connectionString: url,
      concurrency: 4,
      pollInterval: 50,
      noHandleSignals: true,
      logger: queueLogger,
      taskList: {
        [task]: async (payload) => {
          const start = performance.now();
          const items = (payload as { id: string }[]).map((p) => p.id);
          calls += 1;
          if (calls === 1) {
            started();
            await firstHeld;
          }
          runs.push({ ids: items, start, end: performance.now() });
        },
      },
    });
    try {
      await db.$transaction((tx) => enqueueJobs(tx, [spec(ids[0]!)]));
      await firstStarted;
      // Three more while the first runs, in transactions of their own: four slots are free.
      for (const id of ids.slice(1)) await db.$transaction((tx) => enqueueJobs(tx, [spec(id)]));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(calls).toBe(1);
      release();
      for (let i = 0; i < 100 && runs.length < 2; i += 1)
        await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      release();
      await runner.stop();
    }

    expect(ids).toHaveLength(4);
    expect(runs.map((r) => r.ids)).toEqual([[ids[0]], ids.slice(1)]);
    expect(runs[1]!.start).toBeGreaterThanOrEqual(runs[0]!.end);
  });

  it('gathers items enqueued by separate transactions into the pending job of their key', async () => {
    const task = `batch_probe_${Date.now()}`;
    const spec = (id: string) => ({
      ...batchSpec(task, { key: id, payload: { id } }),
      jobKey: `${task}#0`,
    });
    await db.$transaction((tx) => enqueueJobs(tx, [spec('a')]));
    await db.$transaction((tx) => enqueueJobs(tx, [spec('b'), spec('c')]));

    expect(await queuedItems(db, task)).toEqual([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
    expect(await jobsOf(task)).toHaveLength(1);
  });
});

describe('enqueue_jobs', () => {
  it('seals a pending batch at 64 items and gathers the next ones in a new job', async () => {
    const task = `cap_probe_${Date.now()}`;
    const spec = (id: string) => ({
      ...batchSpec(task, { key: id, payload: { id } }),
      jobKey: `${task}#0`,
    });
    const ids = Array.from({ length: 70 }, (_, i) => `item-${i}`);
    for (const id of ids.slice(0, 60)) await db.$transaction((tx) => enqueueJobs(tx, [spec(id)]));
    await db.$transaction((tx) => enqueueJobs(tx, ids.slice(60).map(spec)));

    const jobs = await jobsOf(task);
    expect(jobs.map((j) => [j.key, (j.payload as unknown[]).length])).toEqual([
      [null, 60],
      [`${task}#0`, 10],
    ]);
    expect(await queuedItems(db, task)).toEqual(ids.map((id) => ({ id })));
  });

  // A worker takes the pending job of the key after add_jobs released the keys of taken jobs
  // and before its insert: the insert meets a locked job, and add_jobs skips it.
  async function raceAWorker(enqueue: (client: pg.Client, json: string) => Promise<unknown>) {
    const task = `race_probe_${Date.now()}_${Math.random().toString(36).slice(2, 6)}`;
    const key = `${task}#0`;
    const spec = (id: string) => ({
      ...batchSpec(task, { key: id, payload: { id } }),
      jobKey: key,
    });
    await db.$transaction((tx) => enqueueJobs(tx, [spec('first')]));
    const worker = new pg.Client({ connectionString: url });
    const sender = new pg.Client({ connectionString: url });
    await Promise.all([worker.connect(), sender.connect()]);
    try {
      await worker.query('BEGIN');
      await worker.query(
        `UPDATE graphile_worker._private_jobs SET locked_at = now(), locked_by = 'probe'
         WHERE key = $1`,
        [key],
      );
      await sender.query('BEGIN');
      const sent = enqueue(sender, jobSpecsJson([spec('second')]));
      // The sender's insert now waits on the job the worker is taking.
      await waitForLockWait(db, sender);
      await worker.query('COMMIT');
      await sent;
      await sender.query('COMMIT');
    } finally {
      await Promise.all([worker.end(), sender.end()]);
    }

    return jobsOf(task);
  }

  it('adds the job that add_jobs leaves out when a worker takes the pending one meanwhile', async () => {
    const jobs = await raceAWorker((client, json) =>
      client.query('SELECT enqueue_jobs($1::json)', [json]),
    );

    expect(jobs.map((j) => [j.payload, j.locked_at !== null])).toEqual([
      [[{ id: 'first' }], true],
      [[{ id: 'second' }], false],
    ]);
  });

  it('(why it exists) graphile-worker add_jobs alone loses that job', async () => {
    const jobs = await raceAWorker((client, json) =>
      client.query(
        `SELECT graphile_worker.add_jobs(array(
           SELECT json_populate_record(null::graphile_worker.job_spec, s)
           FROM json_array_elements($1::json) AS s))`,
        [json],
      ),
    );

    expect(jobs.map((j) => j.payload)).toEqual([[{ id: 'first' }]]);
  });
});
