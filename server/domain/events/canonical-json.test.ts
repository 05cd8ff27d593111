import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';

import { canonicalJson, payloadHash } from './canonical-json';
import { parseEvent, type CanonicalEvent } from './schema';

const context = { now: new Date('2026-03-02T12:00:00Z') };

function parsed(raw: object): CanonicalEvent {
  const result = parseEvent(raw, context);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));

  return result.event;
}

const pick = {
  eventId: 'WMS-7',
  type: 'PICK_COMPLETED',
  occurredAt: '2026-03-02T10:00:00+01:00',
  site: 'RTM',
  orderRef: 'SO-1',
  payload: { lines: [{ lineNo: 1, quantity: '12.50', uom: 'EA', lot: 'L1' }] },
};

function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value === null || typeof value !== 'object') return value;

  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reversedKeys(v)]),
  );
}

describe('canonicalJson', () => {
  test.prop([fc.jsonValue()])('does not depend on key order', (value) => {
    expect(canonicalJson(reversedKeys(value))).toBe(canonicalJson(value));
  });

  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: [2, 1], a: { d: 1, c: undefined } })).toBe('{"a":{"d":1},"b":[2,1]}');
  });
});

describe('payloadHash', () => {
  const hash = payloadHash(parsed(pick));

  it('ignores key order, the transport stamp and the spelling of equal values', () => {
    expect(payloadHash(parsed(reversedKeys(pick) as object))).toBe(hash);
    expect(payloadHash(parsed({ ...pick, sentAt: '2026-03-02T11:00:00Z' }))).toBe(hash);
    expect(payloadHash(parsed({ ...pick, occurredAt: '2026-03-02T09:00:00.000Z' }))).toBe(hash);
    const respelt = { lines: [{ lineNo: 1, quantity: '12.5', uom: 'EA', lot: 'L1' }] };
    expect(payloadHash(parsed({ ...pick, payload: respelt }))).toBe(hash);
  });

  it('changes with anything the event says', () => {
    const other = { lines: [{ lineNo: 1, quantity: '12.51', uom: 'EA', lot: 'L1' }] };
    expect(payloadHash(parsed({ ...pick, payload: other }))).not.toBe(hash);
    expect(payloadHash(parsed({ ...pick, occurredAt: '2026-03-02T10:00:00Z' }))).not.toBe(hash);
    expect(payloadHash(parsed({ ...pick, site: 'AMS' }))).not.toBe(hash);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
