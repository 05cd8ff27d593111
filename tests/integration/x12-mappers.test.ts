import { describe, expect, it } from 'vitest';

import { parseEvent } from '../../server/domain/events/schema';
import type { MappingContext } from '../../server/integration/types';
import type { Map990Result } from '../../server/integration/x12/map-990';
import {
  processX12,
  type InterchangeResult,
} from '../../server/integration/x12/process-interchange';
import { buildInterchange } from './helpers/build-x12';
import { context, fixture, NOW, REFERENCES } from './helpers/samples';

// The transaction sets no copyable sample has (945, 990, a 214 with proof of delivery) from our
// own fixtures, and the edges of each mapper.

const POD = { signerQualifier: 'ZZ', documentUriTemplate: 'https://pod.odfl.example/{ref}' };

function run(raw: string, overrides: Partial<MappingContext> = {}): InterchangeResult {
  const result = processX12(raw, {
    context: context(overrides),
    ack: { controlNumbers: () => ({ interchange: 1, group: 1, ta1: 2 }), now: NOW },
  });
  if (!result.ok) throw new Error(result.reason);

  return result.interchanges[0]!;
}

const allParse = (r: InterchangeResult) => r.events.map((e) => parseEvent(e, { now: NOW }).ok);

describe('945 warehouse shipping advice (ours; ISA12 00501, GS08 004010)', () => {
  const result = run(fixture('x12/own-945.edi'));

  it('reports pick, stage and departure of the order, in lifecycle order, at the shipped time', () => {
    expect(result.events.map((e) => e.type)).toEqual([
      'PICK_COMPLETED',
      'PACKED_STAGED',
      'DEPARTED',
    ]);
    expect(result.events.map((e) => e.eventId)).toEqual(
      [...result.events.map((e) => e.eventId)].sort(),
    );
    expect(result.events[0]).toMatchObject({
      orderRef: 'PF-40017',
      site: 'DAL1',
      occurredAt: '2026-01-15T16:42:00-06:00',
      payload: {
        lines: [
          { lineNo: 1, quantity: '240', uom: 'CS', lot: 'L2601A' },
          { lineNo: 2, quantity: '58', uom: 'CS', lot: 'L2601B' },
        ],
      },
    });
    expect(result.events[1]?.payload).toEqual({
      handlingUnits: 2,
      weight: { value: '3960', unit: 'LB' },
      volume: { value: '412.5', unit: 'FT3' },
      dock: 'D4',
    });
    expect(allParse(result)).toEqual([true, true, true]);
    expect(result.unresolved).toEqual([]);
  });

  it('holds back only the departure when the carrier is unknown', () => {
    const unknown = run(fixture('x12/own-945.edi'), {
      references: { ...REFERENCES, carriers: {} },
    });
    expect(unknown.unresolved).toEqual([
      expect.objectContaining({
        kind: 'CARRIER',
        value: 'ODFL',
        eventIds: [unknown.events[2]?.eventId],
      }),
    ]);
  });
});

describe('990 responses to our load tenders (ours)', () => {
  const result = run(fixture('x12/own-990.edi'));
  const responses = result.sets.map((s) => (s.outcome?.result as Map990Result).response);

  it('reads an acceptance and a decline with its reason', () => {
    expect(responses).toEqual([
      expect.objectContaining({
        shipmentRef: 'SHP-20260115-7',
        decision: 'ACCEPTED',
        carrierCode: 'OLD-DOMINION',
        date: '2026-01-14',
      }),
      expect.objectContaining({
        shipmentRef: 'SHP-20260115-9',
        decision: 'DECLINED',
        remarks: ['NO EQUIPMENT AVAILABLE 01/15'],
      }),
    ]);
    expect(result.events).toEqual([]);
  });

  it('says so when B104 is neither A nor D', () => {
    const raw = buildInterchange({
      groups: [
        {
          control: '5',
          functionalId: 'GF',
          sets: [{ control: '0001', type: '990', body: ['B1*ODFL*SHP-1*20260114*R'] }],
        },
      ],
    });
    const set = run(raw).sets[0]!.outcome?.result as Map990Result;
    expect(set.response?.decision).toBe('UNKNOWN');
    expect(set.warnings[0]?.code).toBe('NOT_MAPPED');
  });
});

describe('214 with proof of delivery (ours)', () => {
  it("reports departed, arrived, delivered and the POD by the carrier's convention", () => {
    const result = run(fixture('x12/own-214-pod.edi'), { pod: POD });
    expect(result.events.map((e) => [e.type, e.occurredAt])).toEqual([
      ['DEPARTED', '2026-01-15T17:12:00-06:00'],
      ['ARRIVED', '2026-01-16T09:05:00-06:00'],
      ['DELIVERED', '2026-01-16T09:48:00-06:00'],
      ['POD_RECEIVED', '2026-01-16T09:48:00-06:00'],
    ]);
    expect(result.events[3]).toMatchObject({
      shipmentRef: 'SHP-20260115-7',
      payload: {
        signer: 'M OKAFOR',
        signedAt: '2026-01-16T09:48:00-06:00',
        documentUri: 'https://pod.odfl.example/PRO-7710022',
      },
    });
    expect(allParse(result)).toEqual([true, true, true, true]);
  });

  it('reports no POD for a carrier without a POD convention', () => {
    expect(run(fixture('x12/own-214-pod.edi')).events.map((e) => e.type)).toEqual([
      'DEPARTED',
      'ARRIVED',
      'DELIVERED',
    ]);
  });

  it('keeps a status it cannot map and an unknown carrier holds every event back', () => {
    const raw = fixture('x12/own-214-pod.edi')
      .replace('AT7*X1', 'AT7*Q9')
      .replace('*ODFL\n', '*ZZZZ\n');
    const result = run(raw);
    const statuses =
      result.sets[0]?.outcome?.kind === 'EVENTS' ? result.sets[0].outcome.statuses : [];
    expect(statuses?.map((s) => [s.code, s.eventType])).toEqual([
      ['AF', 'DEPARTED'],
      ['Q9', null],
      ['D1', 'DELIVERED'],
    ]);
    expect(result.warnings).toContainEqual(
      expect.objectContaining({
        code: 'NOT_MAPPED',
        message: 'AT701 Q9 is not a status this product knows',
      }),
    );
    expect(result.unresolved).toEqual([
      expect.objectContaining({
        kind: 'CARRIER',
        value: 'ZZZZ',
        eventIds: result.events.map((e) => e.eventId),
      }),
    ]);
  });
});

describe('210 totals', () => {
  it('warns when the charges do not add up to L305', () => {
    const raw = fixture('x12/own-rail-210.edi').replace(
      'L3*30120*N***182175',
      'L3*30120*N***182176',
    );
    const result = run(raw);
    expect(result.warnings.map((w) => w.message)).toEqual([
      'the charges add up to 1821.75, L305 says 1821.76',
      'B307 net amount due 1821.75 differs from L305 1821.76',
    ]);
  });
});

describe('940 without the order it would release', () => {
  it('produces no event and says why', () => {
    const raw = buildInterchange({
      groups: [{ control: '9', sets: [{ control: '0001', body: ['N1*ST*X*91*NSG-0042'] }] }],
    });
    const result = run(raw);
    expect(result.events).toEqual([]);
    expect(result.warnings[0]).toMatchObject({ code: 'MISSING_REQUIRED', segment: 'W05' });
  });
});
