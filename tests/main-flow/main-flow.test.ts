import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyShipmentEvents } from '../../server/domain/shipments/apply-events';
import { APPLY_TASK } from '../../server/domain/shipments/apply-job';
import { queuedItems } from '../branches/jobs';
import {
  closeFlow,
  drain,
  openFlow,
  pick,
  release,
  send,
  stage,
  stateOf,
  status,
  voidOf,
  type Flow,
} from './flow-helpers';

// The main job end to end on real PostgreSQL and the real queue: events in through the intake
// service, the apply job, the readiness gate, holds and exceptions. This file has a database of
// its own, since it runs every due job in it.

let flow: Flow;
let n = 0;
const nextRef = () => `ORD-${flow.world.suffix}-${++n}`;

beforeAll(async () => {
  flow = await openFlow('ct_test_flow');
});

afterAll(() => closeFlow(flow));

describe('warehouse events to the readiness gate', () => {
  it('makes a complete, staged shipment READY with every check passed and a planned departure', async () => {
    const ref = nextRef();
    const answers = await send(flow, [
      release(flow.world, ref, 480),
      pick(flow.world, ref, 540),
      stage(flow.world, ref, 600),
    ]);
    expect(answers.map((a) => a.status)).toEqual(['accepted', 'accepted', 'accepted']);
    await drain(flow);

    const s = await stateOf(flow.db, ref);
    expect(s?.readiness).toBe('READY');
    expect(s?.holds).toEqual([]);
    const checks = (s!.decisions[0]!.checks as { items: { check: string; verdict: string }[] })
      .items;
    expect(checks.map((c) => `${c.check}:${c.verdict}`)).toEqual([
      'COMPLETENESS:PASS',
      'INVENTORY:PASS',
      'CREDIT:PASS',
      'DANGEROUS_GOODS:PASS',
      'ROUTE:PASS',
    ]);
    expect(s?.plannedTripId).not.toBeNull();

    // The three branches ran as jobs of their own: a booked slot, rated charges, the ERP record.
    expect(s?.status).toBe('SLOTTED');
    expect(s?.bookings).toHaveLength(1);
    expect(s?.bookings[0]?.tripId).toBe(s?.plannedTripId);
    const charges = await flow.db.charge.findMany({ where: { shipmentId: s!.id, voidedAt: null } });
    expect(charges.map((c) => c.kind).sort()).toEqual(['FREIGHT', 'FUEL_SURCHARGE', 'TAX']);
    const records = await flow.db.outboxMessage.findMany({ where: { aggregateId: s!.id } });
    expect(records.length).toBeGreaterThanOrEqual(1);
  });

  it('holds a short pick with a quantity-variance reason and a warehouse exception, and releases it when the pick is corrected', async () => {
    const ref = nextRef();
    await send(flow, [
      release(flow.world, ref, 480),
      pick(flow.world, ref, 540, '60'),
      stage(flow.world, ref, 600),
    ]);
    await drain(flow);
    let s = await stateOf(flow.db, ref);
    expect(s?.readiness).toBe('HELD');
    expect(s?.status).toBe('HELD');
    expect(s?.holds.map((h) => h.reason)).toEqual(['QUANTITY_VARIANCE']);
    expect(s?.exceptions.map((e) => `${e.type}:${e.ownerTeam}`)).toEqual([
      'QUANTITY_VARIANCE:WAREHOUSE',
    ]);

    // The corrected pick arrives after the stage: facts count whenever they arrive.
    await send(flow, [pick(flow.world, ref, 560, '100')]);
    await drain(flow);
    s = await stateOf(flow.db, ref);
    expect(s?.readiness).toBe('READY');
    expect(s?.holds).toEqual([]);
    expect(s?.exceptions).toEqual([]);
    expect(s?.bookings).toHaveLength(1);
    const resolved = await flow.db.exception.findMany({ where: { shipmentId: s!.id } });
    expect(resolved.map((e) => e.status)).toEqual(['RESOLVED']);
  });

  it('parks events for an unknown order as an orphan and applies them by themselves when the order arrives', async () => {
    const ref = nextRef();
    await send(flow, [pick(flow.world, ref, 540), stage(flow.world, ref, 600)]);
    await drain(flow);
    const parked = await flow.db.shipmentEvent.findMany({ where: { orderRef: ref } });
    expect(parked.map((e) => e.disposition)).toEqual(['ORPHANED', 'ORPHANED']);
    const orphan = await flow.db.exception.findFirst({ where: { dedupeKey: `orphan:${ref}` } });
    expect(orphan).toMatchObject({
      type: 'ORPHAN_EVENT',
      ownerTeam: 'ADMIN',
      status: 'OPEN',
      siteId: flow.world.siteId,
    });

    await send(flow, [release(flow.world, ref, 480)]);
    await drain(flow);
    expect((await stateOf(flow.db, ref))?.readiness).toBe('READY');
    expect((await flow.db.exception.findUnique({ where: { id: orphan!.id } }))?.status).toBe(
      'RESOLVED',
    );
  });

  it('sends a READY shipment back to HELD when its pick is voided late', async () => {
    const ref = nextRef();
    const picked = pick(flow.world, ref, 540);
    await send(flow, [release(flow.world, ref, 480), picked, stage(flow.world, ref, 600)]);
    await drain(flow);
    expect((await stateOf(flow.db, ref))?.readiness).toBe('READY');

    await send(flow, [voidOf(flow.world, ref, picked.eventId, 620)]);
    await drain(flow);
    const s = await stateOf(flow.db, ref);
    expect(s?.readiness).toBe('HELD');
    // Nothing stands picked any more: the line is short (an unpicked line has nothing to confirm).
    expect(s?.holds.map((h) => h.reason)).toEqual(['QUANTITY_VARIANCE']);
  });

  it('keeps a stale DEPARTED after DELIVERED, marked late, without moving the milestone back', async () => {
    const ref = nextRef();
    await send(flow, [
      release(flow.world, ref, 480),
      pick(flow.world, ref, 540),
      stage(flow.world, ref, 600),
    ]);
    await send(flow, [status(flow.world, ref, 'DELIVERED', 1200)]);
    await drain(flow);
    await send(flow, [status(flow.world, ref, 'DEPARTED', 900)]);
    await drain(flow);
    const s = await stateOf(flow.db, ref);
    expect(s?.status).toBe('DELIVERED');
    const departed = await flow.db.shipmentEvent.findFirst({
      where: { orderRef: ref, type: 'DEPARTED' },
    });
    expect(departed?.disposition).toBe('LATE');
  });
});

describe('durable orchestration', () => {
  it('loses nothing when no worker runs between the commit and the pickup, and applies nothing twice', async () => {
    const ref = nextRef();
    await send(flow, [
      release(flow.world, ref, 480),
      pick(flow.world, ref, 540),
      stage(flow.world, ref, 600),
    ]);
    // The job waits in the queue, committed with the events, until a worker comes back.
    const queued = await queuedItems<{ ref: string }>(flow.db, APPLY_TASK);
    expect(queued.filter((item) => item.ref === ref)).toHaveLength(1);
    await drain(flow);
    // A second delivery of the same job changes nothing: no second decision record.
    await applyShipmentEvents(flow.db, ref);
    const s = await stateOf(flow.db, ref);
    expect(s?.readiness).toBe('READY');
    expect(s?.decisions).toHaveLength(1);
  });
});
