import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyShipmentEvents } from '../../server/domain/shipments/apply-events';
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
} from '../main-flow/flow-helpers';

// The apply's hot path as a worker runs it: reference data served from the process's cache must
// follow every change of the database at the next decision, the customer's credit must still be
// spent by one decision at a time, and a re-run on unchanged facts must write nothing.

let flow: Flow;
let n = 0;
const nextRef = (world: World) => `DP-${world.suffix}-${++n}`;

beforeAll(async () => {
  flow = await openFlow('ct_test_decision_path');
});

afterAll(() => closeFlow(flow));

async function stageOrder(world: World, ref = nextRef(world)) {
  await send({ ...flow, world }, [
    release(world, ref, 480),
    pick(world, ref, 540),
    stage(world, ref, 600),
  ]);

  return ref;
}

async function decide(world: World = flow.world) {
  const ref = await stageOrder(world);
  await drain(flow);

  return (await stateOf(flow.db, ref))!;
}

type Check = { check: string; verdict: string; inputs: Record<string, unknown> };
const checksOf = (s: Awaited<ReturnType<typeof decide>>) =>
  (s.decisions[0]!.checks as { items: Check[] }).items;
const creditOf = (s: Awaited<ReturnType<typeof decide>>) =>
  checksOf(s).find((c) => c.check === 'CREDIT')!;

describe('reference data behind the gate', () => {
  it("follows a change of the site's vehicles at the next decision", async () => {
    expect((await decide()).readiness).toBe('READY');

    // The staged shipment weighs 250 kg: no vehicle of the site can carry it any more.
    await flow.db.vehicle.updateMany({
      where: { siteId: flow.world.siteId },
      data: { maxWeightKg: '10' },
    });
    const held = await decide();
    expect(held.readiness).toBe('HELD');
    expect(held.holds.map((h) => h.reason)).toEqual(['ROUTE_INELIGIBLE']);

    await flow.db.vehicle.updateMany({
      where: { siteId: flow.world.siteId },
      data: { maxWeightKg: '1000' },
    });
    expect((await decide()).readiness).toBe('READY');
  });

  it("rates the shipment's credit exposure on the contract as it stands", async () => {
    const before = creditOf(await decide()).inputs.thisShipment as string;
    const lane = await flow.db.contractLane.findFirstOrThrow({
      where: { contractId: flow.world.contractId },
    });
    const breaks = await flow.db.laneRateBreak.findMany({ where: { laneId: lane.id } });
    for (const b of breaks) {
      await flow.db.laneRateBreak.update({
        where: { id: b.id },
        data: { ratePerKg: b.ratePerKg.mul(3) },
      });
    }
    const after = creditOf(await decide()).inputs.thisShipment as string;
    expect(Number(after)).toBeGreaterThan(Number(before));
  });

  it('sees a delivery zone that stops covering the ship-to, and a route switched off', async () => {
    const zone = await flow.db.deliveryZone.findUniqueOrThrow({
      where: { id: flow.world.zoneId },
    });
    await flow.db.deliveryZone.update({
      where: { id: zone.id },
      data: { postalPrefixes: ['ZZZ'] },
    });
    expect((await decide()).holds.map((h) => h.reason)).toEqual(['ROUTE_INELIGIBLE']);
    await flow.db.deliveryZone.update({
      where: { id: zone.id },
      data: { postalPrefixes: zone.postalPrefixes },
    });
    expect((await decide()).readiness).toBe('READY');

    await flow.db.route.update({ where: { id: flow.world.routeId }, data: { active: false } });
    expect((await decide()).holds.map((h) => h.reason)).toEqual(['ROUTE_INELIGIBLE']);
    await flow.db.route.update({ where: { id: flow.world.routeId }, data: { active: true } });
    expect((await decide()).readiness).toBe('READY');
  });
});

describe('the credit lock', () => {
  it('lets only one of two shipments racing for the last headroom pass', async () => {
    const world = await createWorld(flow.db, {});
    const probe = await decide(world);
    const thisShipment = Number(creditOf(probe).inputs.thisShipment);
    const goods = Number(probe.goodsValue);
    // The probe stays READY and counts; room is left for one more shipment and not for two.
    await flow.db.customer.update({
      where: { id: world.customerId },
      data: { creditLimit: String(goods + thisShipment + goods / 2) },
    });
    const refs = [await stageOrder(world), await stageOrder(world)];
    const outcomes = await Promise.all(refs.map((ref) => applyShipmentEvents(flow.db, ref)));
    expect(outcomes.map((o) => (o.status === 'applied' ? o.readiness : o.status)).sort()).toEqual([
      'HELD',
      'READY',
    ]);

    await drain(flow);
    const states = await Promise.all(refs.map((ref) => stateOf(flow.db, ref)));
    expect(states.map((s) => s!.readiness).sort()).toEqual(['HELD', 'READY']);
    const held = states.find((s) => s!.readiness === 'HELD')!;
    expect(held.holds.map((h) => h.reason)).toEqual(['CREDIT']);
  });
});

describe('the planned trip', () => {
  it('is one row for two shipments that plan the same new run at once', async () => {
    const world = await createWorld(flow.db, {});
    const refs = [await stageOrder(world), await stageOrder(world)];
    const outcomes = await Promise.all(refs.map((ref) => applyShipmentEvents(flow.db, ref)));
    expect(outcomes.map((o) => (o.status === 'applied' ? o.readiness : o.status))).toEqual([
      'READY',
      'READY',
    ]);
    const states = await Promise.all(refs.map((ref) => stateOf(flow.db, ref)));
    const trips = await flow.db.trip.findMany({ where: { departureId: world.departure.id } });
    expect(trips).toHaveLength(1);
    expect(states.map((s) => s!.plannedTripId)).toEqual([trips[0]!.id, trips[0]!.id]);
  });
});

describe('a re-run on the same facts', () => {
  it('writes no second decision and leaves the shipment row as it was', async () => {
    const ref = await stageOrder(flow.world);
    await drain(flow);
    const first = await flow.db.shipment.findFirstOrThrow({ where: { order: { ref } } });

    const again = await applyShipmentEvents(flow.db, ref);
    expect(again).toMatchObject({ status: 'applied', readiness: 'READY' });
    const second = await flow.db.shipment.findFirstOrThrow({ where: { order: { ref } } });
    expect(second.updatedAt).toEqual(first.updatedAt);
    expect(await flow.db.readinessDecision.count({ where: { shipmentId: first.id } })).toBe(1);
  });
});
