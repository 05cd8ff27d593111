import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

// Any reordering and duplication of one shipment's events, each applied as it arrives, ends in
// the state of the ordered stream: milestones, facts, readiness with its holds, open exceptions
// and the booked slot. (Timeline late marks and the history of decisions may differ.)

let flow: Flow;
let n = 0;

// Room for every run's shipment on the same trip: capacity is not what this test is about.
beforeAll(async () => {
  flow = await openFlow('ct_test_converge', {
    vehicles: [{ maxWeightKg: '100000', maxVolumeM3: '1000' }],
    dockDoors: 4,
  });
});

afterAll(() => closeFlow(flow));

function eventsOf(ref: string) {
  const w = flow.world;
  const wrongPick = pick(w, ref, 530, '100', `pick-wrong-${ref}`);

  return [
    release(w, ref, 480),
    wrongPick,
    pick(w, ref, 540, '60'),
    stage(w, ref, 600),
    voidOf(w, ref, wrongPick.eventId, 610),
    pick(w, ref, 620, '99'),
    status(w, ref, 'LOADED', 900),
    status(w, ref, 'DEPARTED', 960),
  ];
}

async function finalState(ref: string) {
  const s = await stateOf(flow.db, ref);

  return {
    status: s?.status,
    readiness: s?.readiness,
    milestones: [s?.pickedAt, s?.packedStagedAt, s?.loadedAt, s?.departedAt].map(
      (d) => d?.toISOString() ?? null,
    ),
    lines: s?.lines.map((l) => ({
      picked: l.pickedQty.toString(),
      lot: l.lot,
      location: l.location,
      qcFailed: l.qcFailed,
    })),
    packing: [s?.handlingUnits, s?.weightKg?.toString(), s?.volumeM3?.toString(), s?.stagedDock],
    holds: s?.holds.map((h) => h.reason),
    exceptions: s?.exceptions.map((e) => e.type),
    // Which trip depends on what earlier runs booked in this world; that it is booked does not.
    booked: s?.bookings.length,
  };
}

async function deliver(ref: string, order: number[], duplicates: number[]) {
  const events = eventsOf(ref);
  for (const i of order) {
    await send(flow, [events[i]!, ...(duplicates.includes(i) ? [events[i]!] : [])]);
    await drain(flow);
  }
}

describe('convergence of one shipment under any arrival order', () => {
  it('reaches the in-order state from every permutation with duplicates', async () => {
    const base = `CNV-${flow.world.suffix}`;
    const size = eventsOf(base).length;
    const inOrder = `${base}-P0`;
    await deliver(inOrder, [...Array(size).keys()], []);
    const expected = await finalState(inOrder);
    expect(expected.readiness).toBe('READY');

    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray([...Array(size).keys()], { minLength: size, maxLength: size }),
        fc.subarray([...Array(size).keys()]),
        async (order, duplicates) => {
          const ref = `${base}-P${++n}`;
          await deliver(ref, order, duplicates);
          expect(await finalState(ref)).toEqual(expected);
        },
      ),
      { numRuns: 12 },
    );
  }, 240_000);
});
