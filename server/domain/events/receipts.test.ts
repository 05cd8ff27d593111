import { describe, expect, it } from 'vitest';

import { replay } from './replay';
import { LINES, recorded, RELEASE_PAYLOAD, STAGE_PAYLOAD } from './replay.fixtures';
import { parseEvent, type EventIssue, type EventResult } from './schema';

// RETURN_RECEIVED and INBOUND_RECEIPT: what the contract accepts, and what a return does to the
// shipment's replay (a fact with its quantities, never a milestone).

const context = { now: new Date('2026-03-02T12:00:00Z') };
const at = '2026-03-02T09:15:00+01:00';
const line = { skuCode: 'SKU-1', gtin: '10614141073464', quantity: '2.50', uom: 'EA' };

const returned = {
  eventId: 'RET-1',
  type: 'RETURN_RECEIVED',
  occurredAt: at,
  site: 'DAL1',
  shipmentRef: 'SHP-1',
  payload: { lines: [line], disposition: 'damaged', reason: 'refused at the door' },
};

const receipt = {
  eventId: 'REC-1',
  type: 'INBOUND_RECEIPT',
  occurredAt: at,
  site: 'DAL1',
  payload: { lines: [{ ...line, epcs: ['urn:epc:id:sgtin:0614141.107346.2017'] }] },
};

function issues(result: EventResult): EventIssue[] {
  if (result.ok) throw new Error('expected a rejection');

  return result.issues;
}

describe('RETURN_RECEIVED', () => {
  it('is accepted with its lines, quantities normalised', () => {
    const result = parseEvent(returned, context);
    expect(result).toMatchObject({
      ok: true,
      event: { type: 'RETURN_RECEIVED', payload: { lines: [{ ...line, quantity: '2.5' }] } },
    });
  });

  it('names the shipment it returns, as every shipment event does', () => {
    const { shipmentRef: _ref, ...unnamed } = returned;
    expect(issues(parseEvent(unnamed, context))).toEqual([
      { path: 'orderRef', reason: 'orderRef or shipmentRef is required' },
    ]);
  });

  it.each([
    [{ lines: [] }, 'payload.lines', 'lines must hold at least 1 line'],
    [{ lines: [{ ...line, skuCode: undefined }] }, 'payload.lines[0].skuCode', 'is required'],
    [{ lines: [{ ...line, quantity: '0' }] }, 'payload.lines[0].quantity', 'greater than zero'],
    [{ lines: [{ ...line, quantity: 2 }] }, 'payload.lines[0].quantity', 'decimal string'],
    [{ lines: [{ ...line, gtin: '123' }] }, 'payload.lines[0].gtin', 'GTIN of 8, 12, 13 or 14'],
    [{ lines: [line], bizTransactions: [] }, 'payload.bizTransactions', 'not a field'],
  ])('rejects %j at %s', (payload, path, reason) => {
    expect(issues(parseEvent({ ...returned, payload }, context))).toContainEqual({
      path,
      reason: expect.stringContaining(reason),
    });
  });
});

describe('INBOUND_RECEIPT', () => {
  it('is recorded for its site alone, its documents defaulting to none', () => {
    expect(parseEvent(receipt, context)).toMatchObject({
      ok: true,
      event: { type: 'INBOUND_RECEIPT', site: 'DAL1', payload: { bizTransactions: [] } },
    });
  });

  it('refuses an order or shipment reference: it moves no shipment', () => {
    const named = { ...receipt, orderRef: 'SO-1', shipmentRef: 'SHP-1' };
    expect(issues(parseEvent(named, context)).map((i) => i.path)).toEqual([
      'orderRef',
      'shipmentRef',
    ]);
    expect(issues(parseEvent(named, context))[0]?.reason).toContain('payload.bizTransactions');
  });

  it('keeps the documents it names, with or without their type', () => {
    const payload = {
      ...receipt.payload,
      bizTransactions: [{ type: 'po', id: 'PO-9' }, { id: 'ASN-4' }],
    };
    expect(parseEvent({ ...receipt, payload }, context)).toMatchObject({
      ok: true,
      event: { payload: { bizTransactions: [{ type: 'po', id: 'PO-9' }, { id: 'ASN-4' }] } },
    });
    const blank = { ...receipt.payload, bizTransactions: [{ type: 'po', id: ' ' }] };
    expect(issues(parseEvent({ ...receipt, payload: blank }, context))).toContainEqual({
      path: 'payload.bizTransactions[0].id',
      reason: 'id must not be empty',
    });
  });
});

describe('a return in the replay', () => {
  const stream = [
    recorded('ORDER_RELEASED', 'rel', 0, RELEASE_PAYLOAD),
    recorded('PACKED_STAGED', 'stage', 10, STAGE_PAYLOAD),
    recorded('DEPARTED', 'dep', 20, {}),
    recorded('DELIVERED', 'del', 30, {}),
  ];
  const ret = recorded('RETURN_RECEIVED', 'ret', 90, {
    lines: [{ skuCode: 'SKU-2', quantity: '3', uom: 'EA' }],
    disposition: 'damaged',
  });

  it('is a fact with its quantities and moves no milestone, back or forward', () => {
    const before = replay({ lines: LINES, events: stream });
    const after = replay({ lines: LINES, events: [...stream, ret] });

    expect(after.milestone).toBe('DELIVERED');
    expect(after.milestones).toEqual(before.milestones);
    expect(after.facts.lines).toEqual(before.facts.lines);
    expect(after.facts.returns).toEqual([
      {
        eventId: 'ret',
        at: ret.occurredAt,
        lines: [{ skuCode: 'SKU-2', quantity: '3', uom: 'EA', lot: null }],
        disposition: 'damaged',
        reason: null,
      },
    ]);
    expect(after.events.find((e) => e.eventId === 'ret')).toMatchObject({
      disposition: 'APPLIED',
      milestones: [],
    });
  });

  it('is never late, even when it arrives before the shipment has departed', () => {
    const early = { ...ret, occurredAt: stream[1]!.occurredAt, receivedAt: ret.receivedAt };
    const result = replay({ lines: LINES, events: [...stream, early] });
    expect(result.events.find((e) => e.eventId === 'ret')?.disposition).toBe('APPLIED');
    expect(result.milestone).toBe('DELIVERED');
  });

  it('is withdrawn by a void like any other fact', () => {
    const voided = recorded('EVENT_VOIDED', 'v', 95, { voidedEventId: 'ret', reason: 'x' });
    const result = replay({ lines: LINES, events: [...stream, ret, voided] });
    expect(result.facts.returns).toEqual([]);
    expect(result.events.find((e) => e.eventId === 'ret')?.disposition).toBe('VOIDED');
  });
});
