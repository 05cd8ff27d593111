import type { JobHelpers } from 'graphile-worker';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrisma } from '../../server/db/client';
import { createTaskList } from '../../server/jobs/tasks';
import { createReadyShipment, createWorld } from '../fixtures/world';

// A branch that keeps failing becomes an exception for the site's admins and a controlled hold
// on the shipment, and never holds up the other branches: run through the worker's own task
// list, as graphile-worker calls it, with billing failing on every attempt (rating refuses a
// negative weight) while slotting and the ERP record go on.

const db = createPrisma(process.env.DATABASE_URL);
afterAll(() => db.$disconnect());

const attempt = (attempts: number, maxAttempts: number) =>
  ({ job: { id: `${attempts}`, attempts, max_attempts: maxAttempts } }) as unknown as JobHelpers;

describe('a branch that keeps failing', () => {
  it('becomes a FAILED_JOB exception and a BILLING hold; slotting and the record go on', async () => {
    const world = await createWorld(db);
    const s = await createReadyShipment(db, world, { quantity: 100, weightKg: '-1' });
    const tasks = createTaskList(db);
    const payload = { shipmentId: s.shipmentId };

    await expect(tasks.prevalidate_billing!(payload, attempt(1, 3))).rejects.toThrow(/Negative/);
    expect(await db.hold.count({ where: { shipmentId: s.shipmentId } })).toBe(0);
    await tasks.slot_shipment!(payload, attempt(1, 8));
    await tasks.publish_shipment_record!(payload, attempt(1, 8));
    await expect(tasks.prevalidate_billing!(payload, attempt(3, 3))).rejects.toThrow(/Negative/);

    const failed = await db.exception.findFirstOrThrow({
      where: { dedupeKey: `job:prevalidate_billing:${s.shipmentId}` },
    });
    expect(failed).toMatchObject({ type: 'FAILED_JOB', ownerTeam: 'ADMIN', status: 'OPEN' });
    const holds = await db.hold.findMany({ where: { shipmentId: s.shipmentId, releasedAt: null } });
    expect(holds.map((h) => h.reason)).toEqual(['BILLING']);
    expect(await db.dispatchBooking.count({ where: { shipmentId: s.shipmentId } })).toBe(1);
    expect(await db.outboxMessage.count({ where: { aggregateId: s.shipmentId } })).toBe(1);
    expect(await db.charge.count({ where: { shipmentId: s.shipmentId } })).toBe(0);
  });
});
