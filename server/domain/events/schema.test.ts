import { describe, expect, it } from 'vitest';

import { parseEvent, parseIntakeBody, type EventIssue, type EventResult } from './schema';

const now = new Date('2026-03-02T12:00:00Z');
const context = { now };

const envelope = {
  eventId: 'WMS-1',
  occurredAt: '2026-03-02T09:15:00+01:00',
  site: 'RTM',
  orderRef: 'SO-1001',
};

const POD = {
  signer: 'J. Doe',
  signedAt: '2026-03-02T11:00:00Z',
  documentUri: 'https://pod.example/1.pdf',
};

const VALID: Record<string, unknown> = {
  ORDER_RELEASED: {
    customerCode: 'ACME',
    shipToCode: 'ACME-DC1',
    poNumber: 'PO-77',
    requestedDate: '2026-03-05',
    currency: 'EUR',
    lines: [{ lineNo: 1, skuCode: 'SKU-1', quantity: '12.50', uom: 'CS', unitPrice: '0' }],
  },
  PICK_COMPLETED: {
    lines: [{ lineNo: 1, quantity: '24', uom: 'EA', lot: 'L1', location: 'A-01' }],
  },
  QC_PASSED: {},
  QC_FAILED: { lines: [{ lineNo: 1 }], reason: 'seal broken' },
  PACKED_STAGED: {
    handlingUnits: 2,
    weight: { value: '840.5', unit: 'KG' },
    volume: { value: '3.2', unit: 'M3' },
    dock: 'D4',
  },
  DOCUMENT_ATTACHED: { kind: 'DANGEROUS_GOODS_DECLARATION', reference: 'DGD-1', lineNo: 1 },
  LOADED: { vehicle: 'TRK-9', trip: 'T-1' },
  DEPARTED: {},
  ARRIVED: {},
  DELIVERED: { lines: [{ lineNo: 1, quantity: '0', uom: 'EA' }], damageNotes: 'wet', pod: POD },
  POD_RECEIVED: POD,
  CANCELLED: { reason: 'customer request' },
  EVENT_VOIDED: { voidedEventId: 'WMS-0', reason: 'wrong pick' },
};

function event(type: string, payload: unknown = VALID[type], extra: object = {}) {
  return { ...envelope, type, payload, ...extra };
}

function issues(result: EventResult): EventIssue[] {
  if (result.ok) throw new Error('expected a rejection');
  return result.issues;
}

function rejects(raw: unknown, path: string, reason: string | RegExp) {
  expect(issues(parseEvent(raw, context))).toContainEqual({
    path,
    reason: expect.stringMatching(reason),
  });
}

const pickWith = (line: object) =>
  event('PICK_COMPLETED', { lines: [{ lineNo: 1, uom: 'EA', ...line }] });

describe('parseEvent: accepts every type', () => {
  it.each(Object.keys(VALID))('%s', (type) => {
    const result = parseEvent(event(type), context);

    expect(result).toMatchObject({ ok: true, event: { type, eventId: 'WMS-1' } });
  });

  it('normalises decimal spelling and reparses its own output unchanged', () => {
    const result = parseEvent(event('ORDER_RELEASED'), context);
    if (!result.ok) throw new Error('rejected');

    expect(result.event.type === 'ORDER_RELEASED' && result.event.payload.lines[0]?.quantity).toBe(
      '12.5',
    );
    expect(parseEvent(result.event, context)).toEqual(result);
  });

  it('lets a payload without required fields be left out, and takes a shipment ref alone', () => {
    const { orderRef: _orderRef, ...noOrder } = envelope;
    const result = parseEvent({ ...noOrder, shipmentRef: 'SH-1', type: 'ARRIVED' }, context);

    expect(result).toMatchObject({ ok: true, event: { payload: {}, shipmentRef: 'SH-1' } });
  });
});

describe('parseEvent: rejects with the field path and reason', () => {
  it('rejects what is not an object, echoing no eventId', () => {
    expect(parseEvent('nope', context)).toEqual({
      ok: false,
      eventId: null,
      issues: [{ path: '', reason: 'an event must be a JSON object' }],
    });
  });

  it('rejects unknown and missing types', () => {
    rejects(event('TELEPORTED', {}), 'type', /^unknown event type "TELEPORTED"/);
    rejects({ ...envelope, payload: {} }, 'type', 'is required');
    expect(parseEvent(event('TELEPORTED', {}), context)).toMatchObject({ eventId: 'WMS-1' });
  });

  it('rejects missing fields', () => {
    const { eventId: _id, ...noId } = event('DEPARTED');
    rejects(noId, 'eventId', 'is required');
    rejects(
      event('PICK_COMPLETED', { lines: [{ lineNo: 1, uom: 'EA' }] }),
      'payload.lines[0].quantity',
      'is required',
    );
    rejects(event('CANCELLED', {}), 'payload.reason', 'is required');
    rejects({ ...envelope, type: 'PACKED_STAGED' }, 'payload', 'is required');
    rejects(
      { ...event('DEPARTED'), orderRef: undefined },
      'orderRef',
      'orderRef or shipmentRef is required',
    );
  });

  it('rejects JSON numbers where money and quantities belong', () => {
    rejects(
      pickWith({ quantity: 12.5 }),
      'payload.lines[0].quantity',
      'quantity must be a decimal string such as "12.50"',
    );
    const priced = {
      ...(VALID.ORDER_RELEASED as object),
      lines: [{ lineNo: 1, skuCode: 'S', quantity: '1', uom: 'EA', unitPrice: 9.99 }],
    };
    rejects(
      event('ORDER_RELEASED', priced),
      'payload.lines[0].unitPrice',
      'unitPrice must be a decimal string',
    );
    const weighed = { ...(VALID.PACKED_STAGED as object), weight: { value: 840.5, unit: 'KG' } };
    rejects(
      event('PACKED_STAGED', weighed),
      'payload.weight.value',
      'weight.value must be a decimal string',
    );
  });

  it('rejects unknown units of weight and volume, and bad currency codes', () => {
    const staged = VALID.PACKED_STAGED as object;
    rejects(
      event('PACKED_STAGED', { ...staged, weight: { value: '1', unit: 'TON' } }),
      'payload.weight.unit',
      /unknown weight unit "TON"/,
    );
    rejects(
      event('PACKED_STAGED', { ...staged, volume: { value: '1', unit: 'L' } }),
      'payload.volume.unit',
      /unknown volume unit/,
    );
    rejects(
      event('ORDER_RELEASED', { ...(VALID.ORDER_RELEASED as object), currency: 'usd' }),
      'payload.currency',
      /ISO 4217/,
    );
  });

  it.each([
    ['-3', 'must not be negative'],
    ['0', 'must be greater than zero'],
    ['1000000000.5', 'must not exceed 1000000000'],
    ['1.23456', 'at most 4 decimal places'],
    ['1e3', 'must be a decimal string'],
    [' 5', 'must be a decimal string'],
    ['', 'must be a decimal string'],
  ])('rejects quantity %j: %s', (quantity, reason) => {
    rejects(pickWith({ quantity }), 'payload.lines[0].quantity', reason);
  });

  it('accepts the largest quantity and zero where zero means something', () => {
    expect(parseEvent(pickWith({ quantity: '1000000000.0000' }), context).ok).toBe(true);
    expect(parseEvent(event('DELIVERED'), context).ok).toBe(true);
  });

  it('rejects naive, malformed and impossible timestamps', () => {
    rejects(
      event('DEPARTED', {}, { occurredAt: '2026-03-02T09:15:00' }),
      'occurredAt',
      /must include a UTC offset/,
    );
    rejects(event('DEPARTED', {}, { occurredAt: '2026-03-02' }), 'occurredAt', /ISO 8601/);
    rejects(
      event('DEPARTED', {}, { occurredAt: '2026-02-30T09:15:00Z' }),
      'occurredAt',
      /not a valid date-time/,
    );
    rejects(
      event('DEPARTED', {}, { occurredAt: 1772442900000 }),
      'occurredAt',
      'occurredAt must be a string',
    );
    rejects(
      event('POD_RECEIVED', { ...POD, signedAt: '2026-03-02 11:00' }),
      'payload.signedAt',
      /ISO 8601/,
    );
  });

  it('rejects times more than a day ahead of the intake clock, or absurdly old', () => {
    const soon = event('DEPARTED', {}, { occurredAt: '2026-03-03T11:59:00Z' });
    expect(parseEvent(soon, context).ok).toBe(true);
    rejects(
      event('DEPARTED', {}, { occurredAt: '2026-03-03T12:01:00Z' }),
      'occurredAt',
      /too far in the future/,
    );
    expect(parseEvent(soon, { now, maxFutureMs: 0 }).ok).toBe(false);
    rejects(
      event('DEPARTED', {}, { occurredAt: '1999-12-31T23:59:59Z' }),
      'occurredAt',
      /before 2000/,
    );
    const futurePod = {
      ...(VALID.DELIVERED as object),
      pod: { ...POD, signedAt: '2027-01-01T00:00:00Z' },
    };
    rejects(event('DELIVERED', futurePod), 'payload.pod.signedAt', /too far in the future/);
  });

  it('rejects unknown fields and lines reported twice', () => {
    rejects(
      event('DEPARTED', { trip: 'T1', vehicel: 'X' }),
      'payload.vehicel',
      'is not a field of this event type',
    );
    const twice = {
      lines: [
        { lineNo: 1, quantity: '1', uom: 'EA' },
        { lineNo: 1, quantity: '2', uom: 'EA' },
      ],
    };
    rejects(event('PICK_COMPLETED', twice), 'payload.lines[1].lineNo', 'line 1 appears twice');
    rejects(event('PICK_COMPLETED', { lines: [] }), 'payload.lines', /at least 1 line/);
  });
});

describe('parseIntakeBody: one event or a batch', () => {
  it.each([[null], ['text'], [42], [[event('DEPARTED')]]])(
    'answers NOT_AN_EVENT for %j',
    (body) => {
      expect(parseIntakeBody(body, context)).toMatchObject({ kind: 'NOT_AN_EVENT' });
    },
  );

  it.each([[{ events: 'x' }], [{ events: [] }], [{ events: [event('DEPARTED')], sender: 'WMS' }]])(
    'answers NOT_AN_EVENT for the batch %j',
    (body) => {
      expect(parseIntakeBody(body, context)).toMatchObject({ kind: 'NOT_AN_EVENT' });
    },
  );

  it('answers TOO_MANY for 1001 events and reads 1000', () => {
    const many = (count: number) => ({
      events: Array.from({ length: count }, (_, i) => event('DEPARTED', {}, { eventId: `E-${i}` })),
    });

    expect(parseIntakeBody(many(1001), context)).toEqual({
      kind: 'TOO_MANY',
      count: 1001,
      limit: 1000,
    });
    const read = parseIntakeBody(many(1000), context);
    expect(read.kind === 'EVENTS' && read.results.every((result) => result.ok)).toBe(true);
  });

  it('judges each item on its own', () => {
    const body = { events: [event('DEPARTED'), 'junk', event('PICK_COMPLETED', { lines: [] })] };
    const read = parseIntakeBody(body, context);

    expect(read.kind === 'EVENTS' && read.results.map((result) => result.ok)).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('reads a single object as one event, even a malformed one', () => {
    expect(parseIntakeBody({ hello: 'world' }, context)).toMatchObject({
      kind: 'EVENTS',
      batch: false,
      results: [{ ok: false, issues: [{ path: 'type', reason: 'is required' }] }],
    });
  });
});
