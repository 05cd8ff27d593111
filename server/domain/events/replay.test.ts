import { describe, expect, it } from 'vitest';

import { replay, type RecordedEvent, type ReplayResult } from './replay';
import {
  LINES,
  minute,
  pick,
  POD,
  recorded,
  RELEASE_PAYLOAD,
  STAGE_PAYLOAD,
  voiding,
} from './replay.fixtures';

const release = recorded('ORDER_RELEASED', 'rel', 0, RELEASE_PAYLOAD);
const stage = recorded('PACKED_STAGED', 'stg', 30, STAGE_PAYLOAD);
const carrier = { partnerId: 'carrier' };

function run(...events: RecordedEvent[]): ReplayResult {
  return replay({ lines: LINES, events });
}

function outcome(result: ReplayResult, eventId: string) {
  return result.events.find((event) => event.eventId === eventId);
}

function line(result: ReplayResult, lineNo: number) {
  return result.facts.lines.find((facts) => facts.lineNo === lineNo)!;
}

function withoutMarks(result: ReplayResult) {
  return { ...result, events: undefined };
}

describe('replay: milestones only move forward', () => {
  const departed = recorded('DEPARTED', 'dep', 60, {}, carrier);
  const delivered = recorded('DELIVERED', 'dlv', 120, {}, carrier);

  it('marks a stale DEPARTED after DELIVERED late, and it changes nothing', () => {
    const stale = recorded('DEPARTED', 'dep-resend', 65, {}, { ...carrier, received: 200 });
    const before = run(release, stage, departed, delivered);
    const after = run(release, stage, departed, delivered, stale);

    expect(outcome(after, 'dep-resend')).toMatchObject({ disposition: 'LATE', milestones: [] });
    expect(after.milestone).toBe('DELIVERED');
    expect(withoutMarks(after)).toEqual(withoutMarks(before));
  });

  it('lets a late DEPARTED fill in a missing time without moving the shipment back', () => {
    const late = recorded('DEPARTED', 'dep', 60, {}, { ...carrier, received: 200 });
    const result = run(release, stage, delivered, late);

    expect(outcome(result, 'dep')?.disposition).toBe('LATE');
    expect(result.milestone).toBe('DELIVERED');
    expect(result.milestones.departedAt).toEqual(minute(60));
  });

  it('does not mark events of one batch late against each other', () => {
    const batch = { ...carrier, received: 300 };
    const result = run(
      release,
      recorded('DELIVERED', 'dlv', 120, {}, batch),
      recorded('DEPARTED', 'dep', 60, {}, batch),
    );

    expect(outcome(result, 'dep')?.disposition).toBe('APPLIED');
  });

  it('keeps departedAt when DEPARTED is voided while DELIVERED stands', () => {
    const voided = recorded('EVENT_VOIDED', 'void-dep', 130, voiding('dep'), carrier);
    const result = run(release, stage, departed, delivered, voided);

    expect(result.milestones.departedAt).toEqual(minute(60));
    expect(outcome(result, 'dep')).toMatchObject({
      disposition: 'VOIDED',
      milestones: ['DEPARTED'],
    });
  });

  it('withdraws deliveredAt when DELIVERED is voided and nothing later stands', () => {
    const voided = recorded('EVENT_VOIDED', 'void-dlv', 130, voiding('dlv'), carrier);
    const result = run(release, stage, departed, delivered, voided);

    expect(result.milestones.deliveredAt).toBeNull();
    expect(result.milestone).toBe('DEPARTED');
    expect(outcome(result, 'dlv')?.disposition).toBe('VOIDED');
  });

  it('keeps voided milestones that a standing one above them stands on, transitively', () => {
    const pod = recorded('POD_RECEIVED', 'pod', 150, POD, carrier);
    const result = run(
      release,
      departed,
      delivered,
      pod,
      recorded('EVENT_VOIDED', 'void-dep', 160, voiding('dep'), carrier),
      recorded('EVENT_VOIDED', 'void-dlv', 161, voiding('dlv'), carrier),
    );

    expect(result.milestones).toMatchObject({ departedAt: minute(60), deliveredAt: minute(120) });
    expect(result.milestone).toBe('POD_RECEIVED');
  });

  it('keeps stagedAt of a voided stage under a load, but not its packing facts', () => {
    const loaded = recorded('LOADED', 'ld', 50, { vehicle: 'TRK-1' }, carrier);
    const voided = recorded('EVENT_VOIDED', 'void-stg', 55, voiding('stg'));
    const result = run(release, stage, loaded, voided);

    expect(result.stagedAt).toEqual(minute(30));
    expect(result.facts.packing).toBeNull();
  });

  it('withdraws a voided DEPARTED when a second departure report remains', () => {
    const second = recorded('DEPARTED', 'dep-2', 70, {}, carrier);
    const voided = recorded('EVENT_VOIDED', 'void-dep', 130, voiding('dep'), carrier);
    const result = run(release, departed, second, delivered, voided);

    expect(result.milestones.departedAt).toEqual(minute(70));
  });

  it('voids an event whose void arrived before it', () => {
    const voided = recorded('EVENT_VOIDED', 'void-dlv', 130, voiding('dlv'), {
      ...carrier,
      received: 1,
    });
    const result = run(release, departed, delivered, voided);

    expect(result.milestones.deliveredAt).toBeNull();
  });
});

describe('replay: facts count whenever they arrive', () => {
  it('counts a pick that arrives after the stage', () => {
    const latePick = recorded('PICK_COMPLETED', 'pk-1', 20, pick(1, '2', 'CS'), { received: 90 });
    const result = run(release, stage, latePick);

    expect(line(result, 1)).toMatchObject({ pickedQty: '24', lot: 'LOT-1', location: 'A-01' });
    expect(outcome(result, 'pk-1')?.disposition).toBe('APPLIED');
    expect(result.milestone).toBe('STAGED');
  });

  it('removes the picked quantity when a pick is voided after the stage', () => {
    const picked = recorded('PICK_COMPLETED', 'pk-1', 20, pick(1, '24'));
    const voided = recorded('EVENT_VOIDED', 'void-pk-1', 40, voiding('pk-1'));
    const result = run(release, picked, stage, voided);

    expect(line(result, 1)).toMatchObject({ pickedQty: '0', lot: null, pickEventId: null });
    expect(outcome(result, 'pk-1')?.disposition).toBe('VOIDED');
    // The stage stands on the pick, so the milestone stays while its quantity is gone.
    expect(result.milestones.pickedAt).toEqual(minute(20));
  });

  it('reads pick lines as cumulative: the latest by event time wins, a void falls back', () => {
    const first = recorded('PICK_COMPLETED', 'pk-a', 10, pick(2, '3'));
    const second = recorded('PICK_COMPLETED', 'pk-b', 15, pick(2, '5'), { received: 1 });
    expect(line(run(release, first, second), 2).pickedQty).toBe('5');

    const voided = recorded('EVENT_VOIDED', 'void-b', 20, voiding('pk-b'));
    expect(line(run(release, first, second, voided), 2).pickedQty).toBe('3');
  });

  it('converts picked and delivered quantities to base units', () => {
    const grams = recorded('PICK_COMPLETED', 'pk-g', 10, pick(3, '2500', 'G'));
    const delivered = recorded('DELIVERED', 'dlv', 90, {
      lines: [{ lineNo: 1, quantity: '1.5', uom: 'CS' }],
      damageNotes: 'one case crushed',
    });
    const result = run(release, grams, delivered);

    expect(line(result, 3).pickedQty).toBe('2.5');
    expect(line(result, 3).pickedAsReported).toEqual({ value: '2500', unit: 'G' });
    expect(line(result, 1).deliveredQty).toBe('18');
    expect(result.facts.damageNotes).toBe('one case crushed');
  });

  it('applies QC by event time: a later pass clears a failure, per line or whole', () => {
    const failAll = recorded('QC_FAILED', 'qc-1', 20, { reason: 'seal broken' });
    const passOne = recorded('QC_PASSED', 'qc-2', 25, { lines: [{ lineNo: 1 }] }, { received: 0 });
    const result = run(release, failAll, passOne);

    expect(result.facts.lines.map((facts) => facts.qcFailed)).toEqual([false, true, true]);
    expect(line(result, 2).qcReason).toBe('seal broken');
    expect(result.milestones.qcAt).toEqual(minute(25));
  });

  it('keeps documents minus voided ones, a resend replacing the first', () => {
    const dg = { kind: 'DANGEROUS_GOODS_DECLARATION', reference: 'DGD-1', lineNo: 3 } as const;
    const result = run(
      release,
      recorded('DOCUMENT_ATTACHED', 'doc-1', 10, dg),
      recorded('DOCUMENT_ATTACHED', 'doc-2', 12, { ...dg, uri: 'https://docs.example/dgd-1' }),
      recorded('DOCUMENT_ATTACHED', 'doc-3', 14, { kind: 'OTHER', reference: 'X' }),
      recorded('EVENT_VOIDED', 'void-doc-3', 15, voiding('doc-3')),
    );

    expect(result.facts.documents).toEqual([
      expect.objectContaining({
        eventId: 'doc-2',
        orderLineId: 'ol-3',
        uri: 'https://docs.example/dgd-1',
      }),
    ]);
  });

  it('takes the proof of delivery from a delivery, and withdraws it when voided', () => {
    const delivered = recorded('DELIVERED', 'dlv', 90, { pod: POD }, carrier);
    const result = run(release, delivered);
    expect(result.facts.pod).toMatchObject({ signer: 'J. Doe', signedAt: new Date(POD.signedAt) });
    expect(result.milestones.podReceivedAt).toEqual(minute(90));
    expect(outcome(result, 'dlv')?.milestones).toEqual(['DELIVERED', 'POD_RECEIVED']);

    const voided = recorded('EVENT_VOIDED', 'void-dlv', 95, voiding('dlv'), carrier);
    const withdrawn = run(release, delivered, voided);
    expect(withdrawn.facts.pod).toBeNull();
    expect(withdrawn.milestones).toMatchObject({ deliveredAt: null, podReceivedAt: null });
  });

  it('normalises the stage weight and volume, keeping them as given', () => {
    const packing = run(release, stage).facts.packing;

    expect(packing).toMatchObject({ weight: STAGE_PAYLOAD.weight, weightKg: '453.59237' });
    expect(packing).toMatchObject({ volume: STAGE_PAYLOAD.volume, volumeM3: '0.28316846592' });
    expect(run(release, stage).stagedAt).toEqual(minute(30));
  });

  it('cancels, and a void of the cancellation reinstates the shipment', () => {
    const cancelled = recorded('CANCELLED', 'cxl', 40, { reason: 'customer request' });
    expect(run(release, cancelled)).toMatchObject({
      cancelled: true,
      milestones: { cancelledAt: minute(40) },
    });

    const voided = recorded('EVENT_VOIDED', 'void-cxl', 41, voiding('cxl'));
    expect(run(release, cancelled, voided).cancelled).toBe(false);
  });
});

describe('replay: what it cannot apply', () => {
  it('folds exact duplicate rows into one event', () => {
    const picked = recorded('PICK_COMPLETED', 'pk-1', 20, pick(2, '5'));
    const again = { ...picked, id: 'row-again', receivedAt: minute(99) };
    const result = run(release, picked, again);

    expect(line(result, 2).pickedQty).toBe('5');
    expect(result.events.filter((event) => event.eventId === 'pk-1')).toHaveLength(2);
    expect(result.anomalies).toEqual([]);
  });

  it('reports unknown lines and units, unmatched voids and voids of voids', () => {
    const result = run(
      release,
      recorded('PICK_COMPLETED', 'pk-x', 20, {
        lines: [...pick(9, '1').lines, ...pick(2, '1', 'PAL').lines],
      }),
      recorded('EVENT_VOIDED', 'void-none', 21, voiding('nothing')),
      recorded('EVENT_VOIDED', 'void-void', 22, voiding('void-none')),
    );

    expect(
      result.anomalies.map((anomaly) => [anomaly.eventId, anomaly.code, anomaly.lineNo]),
    ).toEqual([
      ['pk-x', 'UNKNOWN_LINE', 9],
      ['pk-x', 'UNKNOWN_UOM', 2],
      ['void-none', 'VOID_TARGET_UNKNOWN', null],
      ['void-void', 'VOID_OF_VOID', null],
    ]);
    expect(line(result, 2).pickedQty).toBe('0');
  });

  it('lets a void reach only its own partner’s events, or any from the UI', () => {
    const picked = recorded('PICK_COMPLETED', 'pk-1', 20, pick(2, '5'));
    const otherPartner = recorded('EVENT_VOIDED', 'v-1', 21, voiding('pk-1'), {
      partnerId: 'carrier',
    });
    expect(line(run(release, picked, otherPartner), 2).pickedQty).toBe('5');

    const fromUi = recorded('EVENT_VOIDED', 'v-2', 21, voiding('pk-1'), { partnerId: null });
    expect(line(run(release, picked, fromUi), 2).pickedQty).toBe('0');
  });
});
