import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTogether } from '../../server/domain/shipments/apply-together';
import { noWrites, writesSql } from '../../server/domain/shipments/apply-writes';
import { createWorld, type World } from '../fixtures/world';
import { closeFlow, drain, openFlow, pick, release, send, stage, type Flow } from './flow-helpers';

// Two batches of applies made together never take the same two locks in opposite orders: a
// shipment goes by two references (its order's and its own), so its row is locked in the order
// of shipment ids, after every reference's apply lock; and the new trips of a batch's planned
// departures, uncommitted until the batch commits, are made in one statement, in one order.
// A third session holds a lock for a moment so that each batch reaches the point where the
// order would matter while the other holds its first lock. A batch never waits for a
// reference another transaction is applying: it leaves it to run alone. A decision is dated
// when it is written: the shipment's last decision is its latest, however long its
// transaction waited.

let flow: Flow;

beforeAll(async () => {
  flow = await openFlow('ct_test_apply_together_locks');
});

afterAll(() => closeFlow(flow));

async function waitingBackends(min: number, like: string) {
  for (let i = 0; i < 500; i += 1) {
    const [row] = await flow.db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE wait_event_type = 'Lock' AND query LIKE ${like}`;
    if ((row?.n ?? 0) >= min) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('backends never waited');
}

const settle = async (ps: Promise<unknown>[]) =>
  (await Promise.allSettled(ps)).map((s) =>
    s.status === 'fulfilled' ? 'ok' : (s.reason as Error).message.slice(0, 120),
  );

describe('applies made together, two batches at once', () => {
  it('lock two shipments named by order ref in one and by shipment ref in the other without a deadlock', async () => {
    const world: World = await createWorld(flow.db, {});
    const o1 = `A-${world.suffix}-1`;
    const o2 = `A-${world.suffix}-2`;
    const s1 = `Z-${world.suffix}-1`;
    const s2 = `Z-${world.suffix}-2`;
    await send({ ...flow, world }, [
      { ...release(world, o1, 480), shipmentRef: s1 },
      { ...release(world, o2, 480), shipmentRef: s2 },
    ]);
    await drain(flow);
    await send({ ...flow, world }, [pick(world, o1, 540), pick(world, o2, 540)]);

    // A third session holds the two shipments' rows for a moment, so that both batches hold
    // their references' apply locks and wait for the rows together.
    const holder = new pg.Client({ connectionString: flow.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM shipments WHERE ref = ANY($1::text[]) FOR UPDATE`, [
        [s1, s2],
      ]);
      // Batch 1: [o1 -> X, s2 -> Y]; batch 2: [o2 -> Y, s1 -> X] (each sorted: A... before Z...).
      const b1 = applyTogether(flow.db, [o1, s2]);
      const b2 = applyTogether(flow.db, [o2, s1]);
      await waitingBackends(2, '%apply_read%');
      await holder.query('COMMIT');
      const outcomes = await settle([b1, b2]);
      expect(outcomes).toEqual(['ok', 'ok']);
    } finally {
      await holder.end();
    }
  });

  it('make the same two new trips, planned in opposite orders, without a deadlock', async () => {
    const world: World = await createWorld(flow.db, {});
    // a, d staged before the cut-off (today's run), b, c after it (tomorrow's run).
    const [a, b, c, d] = ['1', '2', '3', '4'].map((i) => `T-${world.suffix}-${i}`) as [
      string,
      string,
      string,
      string,
    ];
    await send(
      { ...flow, world },
      [a, b, c, d].map((r) => release(world, r, 480)),
    );
    await drain(flow);
    await send({ ...flow, world }, [
      pick(world, a, 540),
      stage(world, a, 600),
      pick(world, b, 540),
      stage(world, b, 1000),
      pick(world, c, 540),
      stage(world, c, 1000),
      pick(world, d, 540),
      stage(world, d, 600),
    ]);
    const trips = await flow.db.trip.count({ where: { departureId: world.departure.id } });
    expect(trips).toBe(0);
    const lineIds = async (ref: string) =>
      (
        await flow.db.shipmentLine.findMany({
          where: { shipment: { order: { ref } } },
          select: { id: true },
        })
      ).map((l) => l.id);

    // A third session holds the lines of each batch's second shipment for a moment (its replay
    // writes them), so that each batch has made its first trip when it reaches its second.
    const holder = new pg.Client({ connectionString: flow.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM shipment_lines WHERE id = ANY($1::uuid[]) FOR UPDATE`, [
        [...(await lineIds(b)), ...(await lineIds(d))],
      ]);
      const b1 = applyTogether(flow.db, [a, b]); // trips: today, then tomorrow
      const b2 = applyTogether(flow.db, [c, d]); // trips: tomorrow, then today
      await waitingBackends(2, '%shipment_lines%');
      await holder.query('COMMIT');
      const outcomes = await settle([b1, b2]);
      expect(outcomes).toEqual(['ok', 'ok']);
    } finally {
      await holder.end();
    }
  });

  it('leave a reference another transaction is applying to run alone, without waiting for it', async () => {
    const world = await createWorld(flow.db, {});
    const [busy, free] = [`L-${world.suffix}-1`, `L-${world.suffix}-2`];
    await send({ ...flow, world }, [
      ...[busy, free].flatMap((ref) => [release(world, ref, 480), pick(world, ref, 540)]),
    ]);
    await drain(flow);
    await send({ ...flow, world }, [stage(world, busy, 600), stage(world, free, 600)]);

    const holder = new pg.Client({ connectionString: flow.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT pg_advisory_xact_lock(hashtextextended('apply:' || $1, 0))`, [
        busy,
      ]);
      expect(await applyTogether(flow.db, [busy, free])).toEqual([busy]);
    } finally {
      await holder.query('COMMIT');
      await holder.end();
    }
    const readiness = async (ref: string) =>
      (await flow.db.shipment.findFirstOrThrow({ where: { order: { ref } } })).readiness;
    expect(await readiness(free)).toBe('READY');
    expect(await readiness(busy)).not.toBe('READY');
    await drain(flow);
    expect(await readiness(busy)).toBe('READY');
  });

  it('date a decision when it is written, not when its transaction began', async () => {
    const world = await createWorld(flow.db, {});
    const ref = `D-${world.suffix}-1`;
    await send({ ...flow, world }, [release(world, ref, 480)]);
    await drain(flow);
    const shipment = await flow.db.shipment.findFirstOrThrow({ where: { order: { ref } } });
    const id = randomUUID();
    const began = await flow.db.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<{ began: Date }[]>`SELECT now() AS began`;
      await tx.$executeRaw`SELECT pg_sleep(0.2)`;
      const write = {
        ...noWrites(),
        decisions: [
          {
            id,
            shipment_id: shipment.id,
            outcome: 'HOLD' as const,
            checks: { items: [] },
            rule_version: 'test',
            trigger: 'test',
          },
        ],
      };
      for (const statement of writesSql(write)) await tx.$executeRaw(statement);

      return row!.began;
    });
    const decision = await flow.db.readinessDecision.findUniqueOrThrow({ where: { id } });
    expect(decision.decidedAt.getTime() - began.getTime()).toBeGreaterThanOrEqual(150);
  });
});
