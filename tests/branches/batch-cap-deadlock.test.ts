import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrisma } from '../../server/db/client';
import { batchSpec } from '../../server/jobs/batch-jobs';
import { enqueueJobs, jobSpecsJson } from '../../server/jobs/enqueue';
import { waitForLockWait } from './jobs';

// enqueue_jobs seals the pending batches at the cap in an UPDATE of its own before add_jobs
// locks the batches it extends in the callers' key order. Were the seal to lock first, a
// statement that seals a batch of a later key would hold it while it waits for an earlier key,
// and another that holds the earlier key would wait for the sealed one: a deadlock between two
// ordinary enqueues. enqueue_jobs locks every key of a call first, in one global order; the two
// enqueues queue behind each other, sealed batch or not.

const url = process.env.DATABASE_URL!;
const db = createPrisma(url);
afterAll(() => db.$disconnect());

/**
 * Two enqueues over the batches `#1` and `#5` of one task, both in key order (as the intake
 * statement sends them): `small` adds an item to each, `large` adds one item to `#1` and ten to
 * `#5`, whose pending batch holds `pending5` items. A third transaction holds `#1` for a moment,
 * so that `small` takes `#1` first and `large` arrives while it waits.
 */
async function twoEnqueues(pending5: number) {
  const task = `cap_deadlock_${Date.now()}_${Math.random().toString(36).slice(2, 6)}`;
  const spec = (key: string, id: string) => ({
    ...batchSpec(task, { key: id, payload: { id } }),
    jobKey: `${task}#${key}`,
  });
  await db.$transaction((tx) =>
    enqueueJobs(tx, [
      spec('1', 'p1'),
      ...Array.from({ length: pending5 }, (_, i) => spec('5', `p5-${i}`)),
    ]),
  );
  const holder = new pg.Client({ connectionString: url });
  const small = new pg.Client({ connectionString: url });
  const large = new pg.Client({ connectionString: url });
  await Promise.all([holder.connect(), small.connect(), large.connect()]);
  try {
    await holder.query('BEGIN');
    await holder.query(`SELECT id FROM graphile_worker._private_jobs WHERE key = $1 FOR UPDATE`, [
      `${task}#1`,
    ]);
    const smallDone = small.query('SELECT enqueue_jobs($1::json)', [
      jobSpecsJson([spec('1', 's1'), spec('5', 's5')]),
    ]);
    await waitForLockWait(db, small);
    const largeDone = large.query('SELECT enqueue_jobs($1::json)', [
      jobSpecsJson([
        spec('1', 'l1'),
        ...Array.from({ length: 10 }, (_, i) => spec('5', `l5-${i}`)),
      ]),
    ]);
    await waitForLockWait(db, large);
    await holder.query('COMMIT');
    const settled = await Promise.allSettled([smallDone, largeDone]);

    return settled.map((s) => (s.status === 'fulfilled' ? 'ok' : (s.reason as Error).message));
  } finally {
    await Promise.all([holder.end(), small.end(), large.end()]);
  }
}

describe('enqueue_jobs under concurrent enqueues in key order', () => {
  it('(control) queues two enqueues behind each other when no batch is sealed', async () => {
    expect(await twoEnqueues(10)).toEqual(['ok', 'ok']);
  });

  it('does not deadlock when one of them seals a pending batch at the cap', async () => {
    expect(await twoEnqueues(60)).toEqual(['ok', 'ok']);
  });
});
