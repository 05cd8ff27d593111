import type { JobHelpers } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runningExposure, summedExposure } from '../../server/domain/readiness/credit-book';
import { applyShipmentEvents } from '../../server/domain/shipments/apply-events';
import { applyTogether } from '../../server/domain/shipments/apply-together';
import { APPLY_TASK } from '../../server/domain/shipments/apply-job';
import { createTaskList } from '../../server/jobs/tasks';
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
  stateOf,
  status,
  type Flow,
} from './flow-helpers';

// The applies of a batch made together (applyTogether): one transaction, each customer's
// shipments decided under its credit lock taken once, on the exposure the earlier decisions of
// the transaction left, as one at a time would; references that name no shipment are left to
// run by themselves, and a batch that fails together runs each of its items alone.

let flow: Flow;
let n = 0;
const nextRef = (world: World) => `AT-${world.suffix}-${++n}`;

beforeAll(async () => {
  flow = await openFlow('ct_test_apply_together');
});

afterAll(() => closeFlow(flow));

/** A released, picked and staged order whose apply waits in the queue. */
async function staged(world: World) {
  const ref = nextRef(world);
  await send({ ...flow, world }, [
    release(world, ref, 480),
    pick(world, ref, 540),
    stage(world, ref, 600),
  ]);

  return ref;
}

/** Released and picked, applied; then staged, its apply left waiting. */
async function pickedThenStaged(world: World, count: number) {
  const refs = Array.from({ length: count }, () => nextRef(world));
  await send(
    { ...flow, world },
    refs.flatMap((ref) => [release(world, ref, 480), pick(world, ref, 540)]),
  );
  await drain(flow);
  await send(
    { ...flow, world },
    refs.map((ref) => stage(world, ref, 600)),
  );

  return refs;
}

type Check = { check: string; verdict: string; inputs: Record<string, string> };
type State = NonNullable<Awaited<ReturnType<typeof stateOf>>>;
const creditOf = (s: State) =>
  (s.decisions[0]!.checks as { items: Check[] }).items.find((c) => c.check === 'CREDIT')!;

/**
 * One customer's READY shipment changed by a late event (a QC failure, or a cancellation) in
 * the batch that stages three more, near the credit limit.
 */
async function scenario(world: World, change: 'qc' | 'cancel') {
  const ref = (i: number) => `B-${world.suffix}-${i}`;
  const [a, b, c, d] = [ref(1), ref(2), ref(3), ref(4)];
  await send({ ...flow, world }, [
    release(world, a!, 480),
    pick(world, a!, 540),
    stage(world, a!, 600),
  ]);
  await drain(flow);
  const probe = (await stateOf(flow.db, a!))!;
  const credit = (probe.decisions[0]!.checks as { items: Check[] }).items.find(
    (x) => x.check === 'CREDIT',
  )!;
  const value = Number(credit.inputs.thisShipment);
  await flow.db.customer.update({
    where: { id: world.customerId },
    data: { creditLimit: String(value * 2.5) },
  });
  await send(
    { ...flow, world },
    [b, c, d].flatMap((r) => [release(world, r!, 480), pick(world, r!, 540)]),
  );
  await drain(flow);
  const last = () =>
    send({ ...flow, world }, [
      ...[b, c, d].map((r) => stage(world, r!, 600)),
      change === 'qc'
        ? {
            eventId: `qc-${a}`,
            type: 'QC_FAILED',
            occurredAt: at(world, 650),
            site: world.siteCode,
            orderRef: a,
            payload: { reason: 'damaged' },
          }
        : { ...status(world, a!, 'CANCELLED', 650), payload: { reason: 'customer' } },
    ]);
  return { refs: [a!, b!, c!, d!], last };
}

/** Readiness, status, and the credit check of the last decision of each shipment. */
async function summary(refs: string[]) {
  return Promise.all(
    refs.map(async (r) => {
      const s = (await stateOf(flow.db, r))!;
      const last = s.decisions[0];
      const cr = last
        ? (last.checks as { items: Check[] }).items.find((x) => x.check === 'CREDIT')
        : undefined;
      return [
        s.readiness,
        s.status,
        cr?.verdict ?? null,
        cr?.inputs.shippedOrReadyNotInvoiced ?? null,
      ];
    }),
  );
}

describe('applies made together', () => {
  it("decides a customer's shipments on the exposure the earlier ones of the batch left", async () => {
    const world = await createWorld(flow.db, {});
    const probeRef = await staged(world);
    await drain(flow);
    const probe = (await stateOf(flow.db, probeRef))!;
    const value = Number(creditOf(probe).inputs.thisShipment);
    const goods = Number(probe.goodsValue);
    // The probe counts; the limit leaves room for one more shipment, not for two.
    await flow.db.customer.update({
      where: { id: world.customerId },
      data: { creditLimit: String(goods + value + value / 2) },
    });
    const refs = await pickedThenStaged(world, 3);

    expect(await applyTogether(flow.db, refs)).toEqual([]);
    const states = await Promise.all(refs.map(async (ref) => (await stateOf(flow.db, ref))!));
    // In the order of the batch: the first passes, the next two meet its exposure.
    expect(states.map((s) => s.readiness)).toEqual(['READY', 'HELD', 'HELD']);
    expect(states.slice(1).map((s) => s.holds.map((h) => h.reason))).toEqual([
      ['CREDIT'],
      ['CREDIT'],
    ]);
    const open = states.map((s) => Number(creditOf(s).inputs.shippedOrReadyNotInvoiced));
    // The first meets the probe's part (its goods and charges); the next two also the first's goods.
    expect(open[0]).toBeGreaterThanOrEqual(goods);
    expect(open[1]).toBeCloseTo(open[0]! + goods, 2);
    expect(open[2]).toBeCloseTo(open[0]! + goods, 2);
    for (const s of states) expect(s.decisions).toHaveLength(1);

    // The running exposure the decisions wrote is the summed rule's.
    const probeId = probe.id;
    const running = await flow.db.$transaction((tx) =>
      runningExposure(tx, world.customerId, probeId),
    );
    const summed = await flow.db.$transaction((tx) =>
      summedExposure(tx, world.customerId, probeId),
    );
    expect(Number(running.open)).toBeCloseTo(Number(summed.open), 4);
    expect(Number(running.unpaid)).toBeCloseTo(Number(summed.unpaid), 4);

    // The queued applies of the same events change nothing.
    await drain(flow);
    const again = await Promise.all(refs.map(async (ref) => (await stateOf(flow.db, ref))!));
    expect(again.map((s) => [s.readiness, s.decisions.length])).toEqual([
      ['READY', 1],
      ['HELD', 1],
      ['HELD', 1],
    ]);
  });

  it('decides several customers, a shipment named twice once, and leaves what names none', async () => {
    const worlds = [await createWorld(flow.db, {}), await createWorld(flow.db, {})];
    const refs = Array.from({ length: 4 }, (_, i) => nextRef(worlds[i % 2]!));
    const worldOf = (i: number) => worlds[i % 2]!;
    for (const [i, ref] of refs.entries())
      await send({ ...flow, world: worldOf(i) }, [
        release(worldOf(i), ref, 480),
        pick(worldOf(i), ref, 540),
      ]);
    await drain(flow);
    for (const [i, ref] of refs.entries())
      await send({ ...flow, world: worldOf(i) }, [stage(worldOf(i), ref, 600)]);
    const named = await flow.db.shipment.findFirstOrThrow({
      where: { order: { ref: refs[0]! } },
      select: { ref: true },
    });
    const unknown = `AT-UNKNOWN-${++n}`;

    const left = await applyTogether(flow.db, [...refs, named.ref, unknown]);
    expect(left).toEqual([unknown]);
    const states = await Promise.all(refs.map(async (ref) => (await stateOf(flow.db, ref))!));
    expect(states.map((s) => [s.readiness, s.decisions.length])).toEqual([
      ['READY', 1],
      ['READY', 1],
      ['READY', 1],
      ['READY', 1],
    ]);
    // Every READY decision started its three branches.
    await drain(flow);
    const bookings = await flow.db.dispatchBooking.count({
      where: { shipmentId: { in: states.map((s) => s.id) }, status: 'BOOKED' },
    });
    expect(bookings).toBe(4);
  });

  it('runs each item alone when the batch fails together, and hands the failing one off', async () => {
    const good = await createWorld(flow.db, {});
    const bad = await createWorld(flow.db, {});
    const [goodRef] = await pickedThenStaged(good, 1);
    const [badRef] = await pickedThenStaged(bad, 1);
    // A fault injected where the bad shipment's decision is written (this file's own database).
    const badShipment = await flow.db.shipment.findFirstOrThrow({
      where: { order: { ref: badRef! } },
      select: { id: true },
    });
    await flow.db.$executeRawUnsafe(`
      CREATE FUNCTION refuse_decision() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.shipment_id = '${badShipment.id}' THEN RAISE EXCEPTION 'injected fault'; END IF;
        RETURN NEW;
      END $$`);
    await flow.db.$executeRawUnsafe(`
      CREATE TRIGGER refuse_decision BEFORE INSERT ON readiness_decisions
      FOR EACH ROW EXECUTE FUNCTION refuse_decision()`);
    await expect(applyTogether(flow.db, [goodRef!, badRef!])).rejects.toThrow(/injected fault/);

    const logged: string[] = [];
    const helpers = {
      job: { id: 'batch', attempts: 1, max_attempts: 10, priority: 0 },
      logger: {
        error: (message: string) => logged.push(message),
        warn: (message: string) => logged.push(message),
      },
    } as unknown as JobHelpers;
    const task = createTaskList(flow.db)[APPLY_TASK]!;
    await task([{ ref: goodRef }, { ref: badRef }], helpers);

    expect((await stateOf(flow.db, goodRef!))!.readiness).toBe('READY');
    expect(logged.some((m) => m.includes('failed together'))).toBe(true);
    const single = await flow.db.$queryRaw<{ key: string }[]>`
      SELECT key FROM graphile_worker._private_jobs WHERE key = ${`apply:${badRef}`}`;
    expect(single).toHaveLength(1);
    await flow.db.$executeRawUnsafe('DROP TRIGGER refuse_decision ON readiness_decisions');
    await flow.db.$executeRawUnsafe('DROP FUNCTION refuse_decision()');
  });

  for (const change of ['qc', 'cancel'] as const)
    it(`decide as one at a time would, with a READY shipment changed in the batch (${change})`, async () => {
      const together = await scenario(await createWorld(flow.db, {}), change);
      const alone = await scenario(await createWorld(flow.db, {}), change);
      await together.last();
      await alone.last();
      expect(await applyTogether(flow.db, together.refs)).toEqual([]);
      for (const ref of alone.refs) await applyShipmentEvents(flow.db, ref);
      const decided = await summary(together.refs);
      expect(decided).toEqual(await summary(alone.refs));
      // Not a vacuous comparison: the limit holds the last one on credit.
      expect(decided.map((d) => d[2])).toContain('FAIL');
    });
});
