import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../server/db/client';
import { verifyChains } from '../../server/domain/audit/verify-chains';
import { prevalidateBilling } from '../../server/domain/billing/prevalidate-billing';
import { prevalidateTogether } from '../../server/domain/billing/prevalidate-together';
import { slotShipment } from '../../server/domain/dispatch/slot-shipment';
import { slotTogether } from '../../server/domain/dispatch/slot-together';
import { publishTogether } from '../../server/domain/integration/publish-together';
import { applyTogether } from '../../server/domain/shipments/apply-together';
import {
  closeFlow,
  drain,
  openFlow,
  pick,
  release,
  send,
  stage,
  type Flow,
} from '../main-flow/flow-helpers';

// The branches made together beside the applies made together, on the same shipments at once:
// a slotting batch (rows, audit chains, dock doors, runs), a billing batch (runs' own locks,
// rows, chains), an ERP record batch, single runs of slotting and billing, and an apply batch
// (apply locks, rows, chains, runs) never wait for one another in a cycle. First staged: a
// third session holds every shipment's row, so that each transaction has taken what it takes
// before the rows and waits for them; released, each must get all it wants. Then, many times,
// all of them started at once. A deadlock would fail one of them (PostgreSQL breaks it).

let flow: Flow;
/** A pool of its own: every transaction below holds a connection while it waits. */
let db: Db;
let refs: string[] = [];
let ids: string[] = [];

beforeAll(async () => {
  flow = await openFlow('ct_test_branch_locks', {
    vehicles: [{ maxWeightKg: '24000', maxVolumeM3: '80' }],
    dockDoors: 3,
  });
  const { world } = flow;
  refs = Array.from({ length: 8 }, (_, i) => `BL-${world.suffix}-${i}`);
  await send(
    flow,
    refs.flatMap((ref) => [release(world, ref, 480), pick(world, ref, 540)]),
  );
  await drain(flow);
  await send(
    flow,
    refs.map((ref) => stage(world, ref, 600)),
  );
  // The applies decide them READY, and the branch jobs they start run (made together).
  await drain(flow);
  const shipments = await flow.db.shipment.findMany({
    where: { order: { ref: { in: refs } } },
    orderBy: { id: 'asc' },
  });
  ids = shipments.map((s) => s.id);
  db = createPrisma(flow.url, 16);
}, 120_000);

afterAll(async () => {
  await db.$disconnect();
  await closeFlow(flow);
});

/** Their bookings given back, so that every slotting run books again. */
async function unbook() {
  await db.$executeRaw`UPDATE dispatch_bookings SET status = 'CANCELLED',
    cancelled_at = now() WHERE shipment_id = ANY (${ids}::uuid[]) AND status = 'BOOKED'`;
  await db.$executeRaw`UPDATE shipments SET slotted_at = NULL, status = 'READY'
    WHERE id = ANY (${ids}::uuid[])`;
}

/** Everything at once, each batch over the shipments in an order of its own. */
function allAtOnce(round: number) {
  const turned = [...ids.slice(round % ids.length), ...ids.slice(0, round % ids.length)];

  return [
    applyTogether(db, [...refs].reverse()),
    slotTogether(db, [...turned].reverse()),
    prevalidateTogether(db, turned),
    publishTogether(db, [...ids].reverse()),
    slotShipment(db, turned[0]!),
    prevalidateBilling(db, turned[ids.length - 1]!),
  ];
}

const settle = async (ps: Promise<unknown>[]) =>
  (await Promise.allSettled(ps)).map((s) =>
    s.status === 'fulfilled' ? 'ok' : (s.reason as Error).message.slice(0, 160),
  );

async function waitingForLocks(min: number) {
  for (let i = 0; i < 500; i += 1) {
    const [row] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if ((row?.n ?? 0) >= min) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`fewer than ${min} transactions ever waited for a lock`);
}

async function expectSound() {
  const booked = await db.dispatchBooking.groupBy({
    by: ['shipmentId'],
    where: { shipmentId: { in: ids }, status: 'BOOKED' },
    _count: true,
  });
  expect(booked.map((b) => b._count)).toEqual(ids.map(() => 1));
  const problems: unknown[] = [];
  await verifyChains(db, (p) => problems.push(p));
  expect(problems).toEqual([]);
}

describe('branches and applies made together on the same shipments', () => {
  it('wait for rows another session holds, then all go through', async () => {
    await unbook();
    const holder = new pg.Client({ connectionString: flow.url });
    await holder.connect();
    let outcomes: string[] = [];
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM shipments WHERE id = ANY ($1::uuid[]) FOR UPDATE`, [ids]);
      const running = allAtOnce(3);
      // The apply, both slotting runs and both billing runs wait for the rows.
      await waitingForLocks(5);
      await holder.query('COMMIT');
      outcomes = await settle(running);
    } finally {
      await holder.end();
    }

    expect(outcomes).toEqual(outcomes.map(() => 'ok'));
    await expectSound();
  });

  it('never deadlock, started at once again and again', async () => {
    for (let round = 0; round < 12; round += 1) {
      await unbook();
      const outcomes = await settle(allAtOnce(round));
      expect(outcomes).toEqual(outcomes.map(() => 'ok'));
    }
    await expectSound();
  });
});
