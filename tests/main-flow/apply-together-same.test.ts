import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChains } from '../../server/domain/audit/verify-chains';
import { applyShipmentEvents } from '../../server/domain/shipments/apply-events';
import { applyTogether } from '../../server/domain/shipments/apply-together';
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
  voidOf,
  type Flow,
} from './flow-helpers';

// The same events applied together (applyTogether) and one at a time leave the same rows:
// shipments, decisions with their checks, holds with the decisions that placed them, event
// dispositions, and audit chains that verify.

let flow: Flow;
beforeAll(async () => {
  flow = await openFlow('ct_test_apply_together_same');
});
afterAll(() => closeFlow(flow));

async function scenario(worlds: World[], tag: string) {
  const refs: string[] = [];
  const last: { w: World; events: object[] }[] = [];
  for (const [wi, w] of worlds.entries()) {
    for (let i = 0; i < 3; i++) {
      const ref = `R2-${tag}-${w.suffix}-${wi}-${i}`;
      refs.push(ref);
      await send({ ...flow, world: w }, [
        release(w, ref, 480),
        pick(w, ref, 540, '100', `p1-${ref}`),
      ]);
      const events: object[] = [stage(w, ref, 600)];
      if (i === 1)
        events.push(voidOf(w, ref, `p1-${ref}`, 560), pick(w, ref, 570, '90', `p2-${ref}`));
      if (i === 2)
        events.push({
          eventId: `qc-${ref}`,
          type: 'QC_FAILED',
          occurredAt: at(w, 590),
          site: w.siteCode,
          orderRef: ref,
          payload: { reason: 'damaged' },
        });
      last.push({ w, events });
    }
  }
  await drain(flow);
  return {
    refs,
    send: async () => {
      for (const l of last) await send({ ...flow, world: l.w }, l.events);
    },
  };
}

async function snapshot(refs: string[]) {
  const out = [];
  for (const ref of refs) {
    const s = await flow.db.shipment.findFirstOrThrow({
      where: { order: { ref } },
      include: {
        holds: { orderBy: { reason: 'asc' } },
        decisions: { orderBy: { decidedAt: 'asc' }, include: { holds: true } },
        events: { orderBy: { occurredAt: 'asc' } },
      },
    });
    const nn = (d: Date | null) => (d ? 'set' : null);
    out.push({
      status: s.status,
      readiness: s.readiness,
      pickedAt: s.pickedAt?.toISOString(),
      packedStagedAt: s.packedStagedAt?.toISOString(),
      qcAt: s.qcAt?.toISOString() ?? null,
      readyAt: nn(s.readyAt),
      heldAt: nn(s.heldAt),
      slottedAt: nn(s.slottedAt),
      handlingUnits: s.handlingUnits,
      weightKg: s.weightKg?.toString(),
      volumeM3: s.volumeM3?.toString(),
      stagedDock: s.stagedDock,
      plannedTrip: s.plannedTripId ? 'set' : null,
      holds: s.holds.map((h) => [
        h.reason,
        h.releasedAt ? 'released' : 'open',
        h.decisionId ? 'dec' : null,
      ]),
      decisions: s.decisions.map((d) => [
        d.outcome,
        d.ruleVersion,
        d.trigger,
        (d.checks as { items: { check: string; verdict: string }[] }).items.map(
          (c) => `${c.check}:${c.verdict}`,
        ),
        d.holds.length,
      ]),
      events: s.events.map((e) => [
        e.eventId.replace(/-R2-.*$/, ''),
        e.type,
        e.disposition,
        e.voidedAt ? 'v' : null,
        e.shipmentId === s.id,
      ]),
    });
  }
  return out;
}

describe('applies made together and one at a time', () => {
  it('leaves the same rows and a sound audit log', async () => {
    const tw = [await createWorld(flow.db, {}), await createWorld(flow.db, {})];
    const aw = [await createWorld(flow.db, {}), await createWorld(flow.db, {})];
    const t = await scenario(tw, 't');
    const a = await scenario(aw, 'a');
    await t.send();
    await a.send();
    expect(await applyTogether(flow.db, t.refs)).toEqual([]);
    for (const ref of a.refs) await applyShipmentEvents(flow.db, ref);
    const ts = await snapshot(t.refs);
    const as = await snapshot(a.refs);
    expect(ts).toEqual(as);
    const problems: unknown[] = [];
    await verifyChains(flow.db, (p) => problems.push(p));
    expect(problems).toEqual([]);
  });
});
