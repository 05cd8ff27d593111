import { describe, expect, it } from 'vitest';

import { decimal } from '../../lib/money';
import { gateInput, line, paintLine } from './gate-fixtures';
import { checkInventory } from './inventory-check';
import type { GateLine } from './types';

function withLines(...lines: GateLine[]) {
  return { ...gateInput(), lines };
}

describe('checkInventory()', () => {
  it('passes when every picked line is confirmed with lot and location', () => {
    const r = checkInventory(gateInput());
    expect(r.verdict).toBe('PASS');
    expect(r.inputs).toEqual({ pickedLineCount: 2, unconfirmedLineCount: 0 });
    expect(r.details.every((d) => d.ok && d.note === 'confirmed')).toBe(true);
  });

  it.each<[string, Partial<GateLine>, string]>([
    ['an unconfirmed pick', { confirmed: false }, 'pick not confirmed'],
    ['a missing lot', { lot: null }, 'no lot'],
    ['a blank lot', { lot: '  ' }, 'no lot'],
    ['a missing location', { location: null }, 'no location'],
    ['an open QC failure', { qcFailed: true }, 'open QC failure'],
  ])('fails %s', (_name, patch, note) => {
    const r = checkInventory(withLines(line(patch), paintLine()));
    expect(r).toMatchObject({
      verdict: 'FAIL',
      holdReason: 'INVENTORY_UNCONFIRMED',
      exceptionType: 'INVENTORY_UNCONFIRMED',
      ownerTeam: 'WAREHOUSE',
    });
    expect(r.details[0]).toMatchObject({ orderLineId: 'ol-1', ok: false, note });
    expect(r.reason).toBe(`WIDGET: ${note}`);
  });

  it('lists every missing fact of a line', () => {
    const r = checkInventory(withLines(line({ confirmed: false, lot: null, qcFailed: true })));
    expect(r.details[0]?.note).toBe('pick not confirmed, no lot, open QC failure');
  });

  it('leaves lines with nothing picked to the completeness check', () => {
    const r = checkInventory(withLines(line({ pickedQty: decimal(0), lot: null }), paintLine()));
    expect(r.verdict).toBe('PASS');
    expect(r.details.map((d) => d.orderLineId)).toEqual(['ol-2']);
  });
});
