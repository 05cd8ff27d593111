import { afterAll, describe, expect, it } from 'vitest';
import { createPrisma } from '../../server/db/client';
import { BRANCH_TASKS, type BranchTask } from '../../server/domain/readiness/branch-jobs';
import { createTaskList } from '../../server/jobs/tasks';
import { createReadyShipment, createWorld } from '../fixtures/world';
import { batchHelpers, jobsWithKey } from './jobs';

// The branch tasks as the worker runs them (jobs/tasks.ts): a batch job's items made together,
// in one transaction (seen in what one transaction leaves: one clock for all the rows it writes,
// one publication job for all the bookings it makes), and, when one item fails them together,
// each item made by itself, the failing one handed to a job of its own.

const db = createPrisma(process.env.DATABASE_URL, 20);
afterAll(() => db.$disconnect());

const logged: string[] = [];
const helpers = batchHelpers(logged);

async function threeShipments() {
  const world = await createWorld(db, { vehicles: [{ maxWeightKg: '5000', maxVolumeM3: '50' }] });
  const ids: string[] = [];
  for (let i = 0; i < 3; i += 1)
    ids.push((await createReadyShipment(db, world, { quantity: 10 })).shipmentId);

  return ids;
}

/** What each branch leaves for each shipment, and the clock (or job) it was written under. */
const MADE: Record<BranchTask, (ids: string[]) => Promise<string[]>> = {
  slot_shipment: async (ids) => {
    const bookings = await db.dispatchBooking.findMany({ where: { shipmentId: { in: ids } } });
    expect(new Set(bookings.map((b) => b.shipmentId)).size).toBe(ids.length);
    // Each booking's ERP publication is enqueued by the statement that writes it.
    const jobs = await db.$queryRaw<{ id: string; payload: { shipmentId: string }[] }[]>`
      SELECT j.id::text, j.payload FROM graphile_worker._private_jobs j
      JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE t.identifier = 'publish_shipment_record' AND json_typeof(j.payload) = 'array'`;

    return ids.map((id) => jobs.find((j) => j.payload.some((p) => p.shipmentId === id))!.id);
  },
  prevalidate_billing: async (ids) => {
    const charges = await db.charge.findMany({ where: { shipmentId: { in: ids } } });
    expect(new Set(charges.map((c) => c.shipmentId)).size).toBe(ids.length);

    return ids.map((id) => charges.find((c) => c.shipmentId === id)!.createdAt.toISOString());
  },
  publish_shipment_record: async (ids) => {
    const messages = await db.outboxMessage.findMany({ where: { aggregateId: { in: ids } } });
    expect(new Set(messages.map((m) => m.aggregateId)).size).toBe(ids.length);

    return ids.map((id) => messages.find((m) => m.aggregateId === id)!.createdAt.toISOString());
  },
};

describe.each(BRANCH_TASKS)('a batch of %s', (task) => {
  it('is made in one transaction', async () => {
    const ids = await threeShipments();

    await createTaskList(db)[task]!(
      ids.map((shipmentId) => ({ shipmentId })),
      helpers,
    );

    expect(new Set(await MADE[task](ids)).size).toBe(1);
  });

  it('is made one at a time when an item fails it, that item handed off', async () => {
    const ids = await threeShipments();
    const bad = 'not-a-shipment-id';

    await createTaskList(db)[task]!(
      [ids[0], bad, ids[1], ids[2]].map((shipmentId) => ({ shipmentId })),
      helpers,
    );

    expect(logged.some((m) => m.startsWith(`${task}: 4 items failed together`))).toBe(true);
    await MADE[task](ids);
    expect(await jobsWithKey(db, `${task}:${bad}`)).toEqual([{ task }]);
    await db.$executeRaw`DELETE FROM graphile_worker._private_jobs WHERE key = ${`${task}:${bad}`}`;
  });
});
