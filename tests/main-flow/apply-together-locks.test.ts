import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyShipmentEvents, applyTogether } from '../../server/domain/shipments/apply-events';
import { createWorld, type World } from '../fixtures/world';
import {
  at,
  closeFlow,
  drain,
  openFlow,
  pick,
  release,
  send,
  stage,
  type Flow,
} from './flow-helpers';

// Two batches of applies made together never take the same two locks in opposite orders: a
// shipment goes by two references (its order's and its own), so its row is locked in the order
// of shipment ids, after every reference's apply lock; and the new trips of a batch's planned
// departures, uncommitted until the batch commits, are made in one statement, in one order.
// A third session holds a lock for a moment so that each batch reaches the point where the
// order would matter while the other holds its first lock. A batch that waits for locks after
// it began still dates its decisions when it makes them: the shipment's last decision is its
// latest.

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

    // A third session holds the apply locks of the two shipment refs for a moment, so that each
    // batch has locked its first shipment when it reaches its second.
    const holder = new pg.Client({ connectionString: flow.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(
        `SELECT pg_advisory_xact_lock(hashtextextended('apply:' || r, 0)) FROM unnest($1::text[]) r`,
        [[s1, s2]],
      );
      // Batch 1: [o1 -> X, s2 -> Y]; batch 2: [o2 -> Y, s1 -> X] (each sorted: A... before Z...).
      const b1 = applyTogether(flow.db, [o1, s2]);
      const b2 = applyTogether(flow.db, [o2, s1]);
      await waitingBackends(2, '%apply_lock_shipment%');
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

  it('date a decision when it is made, after one made meanwhile by another transaction', async () => {
    const world = await createWorld(flow.db, {});
    const r1 = `B-${world.suffix}-1`;
    const r0 = `0-${world.suffix}-none`; // sorts first, names nothing
    const qc = (type: string, minute: number) => ({
      eventId: `${type}-${r1}-${minute}`,
      type,
      occurredAt: at(world, minute),
      site: world.siteCode,
      orderRef: r1,
      payload: type === 'QC_FAILED' ? { reason: 'damaged' } : {},
    });
    await send({ ...flow, world }, [
      release(world, r1, 480),
      pick(world, r1, 540),
      stage(world, r1, 600),
    ]);
    await drain(flow);
    const ship = () =>
      flow.db.shipment.findFirstOrThrow({
        where: { order: { ref: r1 } },
        include: {
          holds: { where: { releasedAt: null } },
          decisions: { orderBy: { decidedAt: 'desc' } },
        },
      });
    expect((await ship()).readiness).toBe('READY');

    const holder = new pg.Client({ connectionString: flow.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query(`SELECT pg_advisory_xact_lock(hashtextextended('apply:' || $1, 0))`, [r0]);
    // The batch begins (now() = T0) and waits for r0's apply lock.
    const batch = applyTogether(flow.db, [r0, r1]);
    await waitingBackends(1, '%apply_lock_shipments%');
    await new Promise((r) => setTimeout(r, 50));
    // Meanwhile: a QC failure, applied alone (T1 > T0): HELD.
    await send({ ...flow, world }, [qc('QC_FAILED', 610)]);
    await applyShipmentEvents(flow.db, r1);
    expect((await ship()).readiness).toBe('HELD');
    // Then a QC pass; the batch reads it and decides READY (decided_at T0).
    await send({ ...flow, world }, [qc('QC_PASSED', 620)]);
    await holder.query('COMMIT');
    await holder.end();
    await batch;
    const afterBatch = await ship();
    expect(afterBatch.readiness).toBe('READY');
    // Another QC failure: the apply compares its HOLD with the stale "last" fingerprint (the
    // older HOLD's), finds it unchanged, and writes nothing: the shipment stays READY.
    await send({ ...flow, world }, [qc('QC_FAILED', 630)]);
    await applyShipmentEvents(flow.db, r1);
    const end = await ship();
    expect([end.readiness, end.holds.map((h) => h.reason)]).toEqual([
      'HELD',
      ['INVENTORY_UNCONFIRMED'],
    ]);
  });
});
