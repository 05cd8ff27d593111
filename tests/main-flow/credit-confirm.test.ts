import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runningExposure, summedExposure } from '../../server/domain/readiness/credit-book';
import { applyTogether } from '../../server/domain/shipments/apply-together';
import { createWorld, type World } from '../fixtures/world';
import {
  closeFlow,
  drain,
  openFlow,
  pick,
  release,
  send,
  stage,
  stateOf,
  type Flow,
} from './flow-helpers';

// Applies made together decide credit on a book read without the customer's credit lock, and
// confirm it under the lock just before the commit (readiness/credit-book.ts). Here another
// transaction holds the lock with an invoice released meanwhile, so that the confirmation waits
// for it and then meets the exposure it moved: within what the decision allows, the decision
// stands on the figures it was made on; past it, the batch is made again under the lock.

let flow: Flow;
let n = 0;

beforeAll(async () => {
  flow = await openFlow('ct_test_credit_confirm');
});

afterAll(() => closeFlow(flow));

type Check = { check: string; verdict: string; inputs: Record<string, string> };
type State = NonNullable<Awaited<ReturnType<typeof stateOf>>>;
const creditOf = (s: State) =>
  (s.decisions[0]!.checks as { items: Check[] }).items.find((c) => c.check === 'CREDIT')!;

/** A shipment released, picked and staged with its apply left waiting; the exposure it adds. */
async function stagedWithHeadroom(world: World, headroom: number) {
  const probeRef = `CC-${world.suffix}-${++n}`;
  await send({ ...flow, world }, [
    release(world, probeRef, 480),
    pick(world, probeRef, 540),
    stage(world, probeRef, 600),
  ]);
  await drain(flow);
  const probe = (await stateOf(flow.db, probeRef))!;
  // The next shipment adds what the probe did; the limit leaves `headroom` once it passes too.
  const value = Number(creditOf(probe).inputs.thisShipment);
  const { unpaid, open } = await exposureNow(world);
  await flow.db.customer.update({
    where: { id: world.customerId },
    data: { creditLimit: (Number(unpaid) + Number(open) + value + headroom).toFixed(4) },
  });
  const ref = `CC-${world.suffix}-${++n}`;
  await send({ ...flow, world }, [release(world, ref, 480), pick(world, ref, 540)]);
  await drain(flow);
  await send({ ...flow, world }, [stage(world, ref, 600)]);

  return ref;
}

/**
 * The batch's apply of `ref` while another transaction holds the customer's credit lock and
 * releases an invoice of `amount`, committed once the apply waits for that lock.
 */
async function applyWhileInvoiced(world: World, ref: string, amount: string) {
  const other = new pg.Client({ connectionString: flow.url });
  await other.connect();
  try {
    await other.query('BEGIN');
    await other.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `credit:${world.customerId}`,
    ]);
    await other.query(
      `INSERT INTO invoices (id, number, customer_id, status, currency, subtotal, tax, total)
       VALUES (gen_random_uuid(), $1, $2, 'RELEASED', 'USD', $3, 0, $3)`,
      [`INV-CC-${world.suffix}-${++n}`, world.customerId, amount],
    );
    const applied = applyTogether(flow.db, [ref]);
    await waitForCreditLockWait(other);
    await other.query('COMMIT');

    return await applied;
  } finally {
    await other.end();
  }
}

/** Until `count` backends other than `holder` wait on the credit lock in their confirmation. */
async function waitForCreditLockWait(holder: pg.Client, count = 1) {
  const pid = (holder as unknown as { processID: number }).processID;
  // A connection of its own: the batches may hold every connection of the product's pool.
  const watcher = new pg.Client({ connectionString: flow.url });
  await watcher.connect();
  try {
    for (let i = 0; i < 500; i += 1) {
      // The only advisory lock anyone waits for here is the one the holder holds (the
      // statement's text, past track_activity_query_size, may not show its credit_confirm).
      const { rows } = await watcher.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE wait_event_type = 'Lock' AND wait_event = 'advisory' AND pid <> $1
           AND datname = current_database()`,
        [pid],
      );
      if ((rows[0]?.n ?? 0) >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the batches never waited for the credit lock');
  } finally {
    await watcher.end();
  }
}

const NONE = '00000000-0000-0000-0000-000000000000';

const exposureNow = (world: World) =>
  flow.db.$transaction((tx) => summedExposure(tx, world.customerId, NONE));

async function expectRunningExposureSound(world: World) {
  const [running, summed] = await Promise.all([
    flow.db.$transaction((tx) => runningExposure(tx, world.customerId, NONE)),
    exposureNow(world),
  ]);
  expect(Number(running.unpaid)).toBeCloseTo(Number(summed.unpaid), 4);
  expect(Number(running.open)).toBeCloseTo(Number(summed.open), 4);
}

describe('credit decided on a book and confirmed under the lock', () => {
  it('stands when the exposure moved within the headroom, on the figures it was decided on', async () => {
    const world = await createWorld(flow.db, {});
    const ref = await stagedWithHeadroom(world, 100);

    expect(await applyWhileInvoiced(world, ref, '60.0000')).toEqual([]);

    const state = (await stateOf(flow.db, ref))!;
    expect(state.readiness).toBe('READY');
    expect(state.decisions).toHaveLength(1);
    // Decided before the invoice was seen, and confirmed with it: the record keeps the book's.
    expect(Number(creditOf(state).inputs.releasedUnpaid)).toBe(0);
    await expectRunningExposureSound(world);
  });

  it('is made again under the lock when the move would have changed the verdict', async () => {
    const world = await createWorld(flow.db, {});
    const ref = await stagedWithHeadroom(world, 100);

    expect(await applyWhileInvoiced(world, ref, '150.0000')).toEqual([]);

    const state = (await stateOf(flow.db, ref))!;
    expect(state.readiness).toBe('HELD');
    expect(state.holds.map((h) => h.reason)).toEqual(['CREDIT']);
    // The first attempt rolled back whole: one decision, made on the exposure under the lock.
    expect(state.decisions).toHaveLength(1);
    expect(creditOf(state).verdict).toBe('FAIL');
    expect(Number(creditOf(state).inputs.releasedUnpaid)).toBe(150);
    await expectRunningExposureSound(world);
  });

  it('is made again when a failing verdict would have passed once the exposure fell', async () => {
    const world = await createWorld(flow.db, {});
    const ref = await stagedWithHeadroom(world, -50);
    // A released invoice the customer pays while the batch decides: the exposure falls by it.
    const invoice = await flow.db.invoice.create({
      data: {
        number: `INV-CC-${world.suffix}-${++n}`,
        customerId: world.customerId,
        status: 'RELEASED',
        currency: 'USD',
        subtotal: '80',
        tax: '0',
        total: '80',
      },
    });
    await flow.db.customer.update({
      where: { id: world.customerId },
      data: { creditLimit: { increment: 80 } },
    });
    const other = new pg.Client({ connectionString: flow.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `credit:${world.customerId}`,
      ]);
      await other.query(`UPDATE invoices SET status = 'PAID' WHERE id = $1`, [invoice.id]);
      const applied = applyTogether(flow.db, [ref]);
      await waitForCreditLockWait(other);
      await other.query('COMMIT');
      expect(await applied).toEqual([]);
    } finally {
      await other.end();
    }

    const state = (await stateOf(flow.db, ref))!;
    expect(state.readiness).toBe('READY');
    expect(state.decisions).toHaveLength(1);
    expect(Number(creditOf(state).inputs.releasedUnpaid)).toBe(0);
    await expectRunningExposureSound(world);
  });

  it('never lets concurrent batches of one customer pass past its limit', async () => {
    const world = await createWorld(flow.db, {});
    const first = await stagedWithHeadroom(world, 0);
    await drain(flow);
    const value = Number(creditOf((await stateOf(flow.db, first))!).inputs.thisShipment);
    // Room for exactly three more of the same value.
    const { unpaid, open } = await exposureNow(world);
    await flow.db.customer.update({
      where: { id: world.customerId },
      data: { creditLimit: (Number(unpaid) + Number(open) + 3.5 * value).toFixed(4) },
    });
    const refs = Array.from({ length: 12 }, () => `CC-${world.suffix}-${++n}`);
    await send(
      { ...flow, world },
      refs.flatMap((ref) => [release(world, ref, 480), pick(world, ref, 540)]),
    );
    await drain(flow);
    await send(
      { ...flow, world },
      refs.map((ref) => stage(world, ref, 600)),
    );

    // Four batches at once, all deciding on the same book: the lock is held until each of them
    // waits for it with its decisions written.
    const batches = [0, 1, 2, 3].map((b) => refs.filter((_, i) => i % 4 === b));
    const holder = new pg.Client({ connectionString: flow.url });
    await holder.connect();
    let left: string[][];
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `credit:${world.customerId}`,
      ]);
      const applied = Promise.all(batches.map((batch) => applyTogether(flow.db, batch)));
      await waitForCreditLockWait(holder, batches.length);
      await holder.query('COMMIT');
      left = await applied;
    } finally {
      await holder.end();
    }

    expect(left.flat()).toEqual([]);
    const states = await Promise.all(refs.map(async (ref) => (await stateOf(flow.db, ref))!));
    expect(states.filter((s) => s.readiness === 'READY')).toHaveLength(3);
    expect(states.filter((s) => s.readiness === 'HELD')).toHaveLength(9);
    for (const s of states) expect(s.decisions).toHaveLength(1);
    await expectRunningExposureSound(world);
  });
});
