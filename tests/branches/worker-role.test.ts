import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { APPLY_TASK } from '../../server/domain/shipments/apply-job';
import { startWorker, type WorkerHandle } from '../../server/jobs/worker';
import { createMigratedDatabase, dropDatabase } from '../setup/test-database';

// WORKER_ROLE splits a worker's two runners across processes: the applies in one, the rest in
// another. Each takes its own tasks only; what it leaves waits for the other.

const adminUrl = process.env.CT_ADMIN_DATABASE_URL!;
let url: string;
let pool: pg.Pool;
const workers: WorkerHandle[] = [];

beforeAll(async () => {
  url = await createMigratedDatabase(adminUrl, 'ct_test_worker_role');
  pool = new pg.Pool({ connectionString: url, max: 2 });
});
afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await pool.end();
  await dropDatabase(adminUrl, url);
});

async function addJob(task: string, payload: object): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    'SELECT (graphile_worker.add_job($1, $2::json)).id::text AS id',
    [task, JSON.stringify(payload)],
  );

  return rows[0]!.id;
}

async function jobLeft(id: string): Promise<{ attempts: number } | null> {
  const { rows } = await pool.query<{ attempts: number }>(
    'SELECT attempts FROM graphile_worker.jobs WHERE id = $1',
    [id],
  );

  return rows[0] ?? null;
}

async function until(done: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`not done within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('worker roles', () => {
  it('runs the applies alone in one process and everything else in another', async () => {
    const applies = await startWorker(url, 2, 'applies');
    workers.push(applies);
    const apply = await addJob(APPLY_TASK, { ref: 'ORD-NOT-SENT-YET' });
    const slot = await addJob('slot_shipment', {
      shipmentId: '00000000-0000-4000-8000-000000000001',
    });

    await until(async () => (await jobLeft(apply)) === null);
    // The applies' worker was woken by the branch job too, and left it untouched.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await jobLeft(slot)).toEqual({ attempts: 0 });

    const others = await startWorker(url, 2, 'others');
    workers.push(others);
    await until(async () => (await jobLeft(slot)) === null);
    // With the applies' worker gone, an apply waits: the other worker does not take it.
    await applies.stop();
    const apply2 = await addJob(APPLY_TASK, { ref: 'ORD-NOT-SENT-EITHER' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await jobLeft(apply2)).toEqual({ attempts: 0 });
  });
});
