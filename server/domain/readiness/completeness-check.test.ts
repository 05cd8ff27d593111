import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { decimal } from '../../lib/money';
import { checkCompleteness } from './completeness-check';
import { gateInput, line, paintLine } from './gate-fixtures';
import type { GateInput, GateLine } from './types';

function withLines(lines: GateLine[], patch: Partial<GateInput> = {}): GateInput {
  return { ...gateInput(), lines, ...patch };
}

function eaches(ordered: number, picked: number | string): GateLine {
  return line({ orderedQty: decimal(ordered), orderedUom: 'EA', pickedQty: decimal(picked) });
}

const partial = (input: GateInput): GateInput => ({
  ...input,
  customer: { ...input.customer, allowsPartial: true },
});

function tolerance(fraction: string, absolute: string): Partial<GateInput> {
  return {
    settings: { quantityTolerance: { fraction: decimal(fraction), absolute: decimal(absolute) } },
  };
}

describe('checkCompleteness()', () => {
  it('passes when every line is picked in full, converting cases to eaches', () => {
    const r = checkCompleteness(gateInput());
    expect(r.verdict).toBe('PASS');
    expect(r.holdReason).toBeUndefined();
    expect(r.details[0]?.values).toMatchObject({
      orderedQty: '2',
      orderedUom: 'CS',
      orderedBase: '24',
    });
    expect(r.backorder).toEqual([]);
    expect(r.reason).toBe('All 2 lines picked within tolerance');
  });

  it.each([
    [98, 'PASS'],
    [97, 'FAIL'],
    [102, 'PASS'],
    [103, 'FAIL'],
    ['97.9999', 'FAIL'],
    ['102.0000', 'PASS'],
  ])('with a 2 percent tolerance on 100 EA, picking %s is %s', (picked, verdict) => {
    expect(checkCompleteness(withLines([eaches(100, picked)])).verdict).toBe(verdict);
  });

  it('names the variance and the allowance of a failing line', () => {
    const r = checkCompleteness(withLines([eaches(100, 103)]));
    expect(r).toMatchObject({
      holdReason: 'QUANTITY_VARIANCE',
      exceptionType: 'QUANTITY_VARIANCE',
      ownerTeam: 'WAREHOUSE',
    });
    expect(r.details[0]).toMatchObject({
      ok: false,
      values: { variance: '3', allowedVariance: '2' },
    });
    expect(r.reason).toBe('WIDGET: over-picked: picked 103 of 100 EA, beyond the allowed 2');
  });

  it('lets the absolute floor cover small lines', () => {
    expect(checkCompleteness(withLines([eaches(10, 9)], tolerance('0.02', '1'))).verdict).toBe(
      'PASS',
    );
    expect(checkCompleteness(withLines([eaches(10, 9)], tolerance('0.02', '0'))).verdict).toBe(
      'FAIL',
    );
  });

  it('fails a line with nothing picked even when the floor would cover it', () => {
    const r = checkCompleteness(withLines([eaches(1, 0), paintLine()], tolerance('0', '1')));
    expect(r.verdict).toBe('FAIL');
    expect(r.reason).toBe('WIDGET: nothing picked of 1 EA');
  });

  it('fails a short line for a customer that does not accept partial shipments', () => {
    const r = checkCompleteness(withLines([line({ pickedQty: decimal(20) }), paintLine()]));
    expect(r.verdict).toBe('FAIL');
    expect(r.backorder).toEqual([]);
  });

  it('backorders short and unpicked lines for a customer that accepts partial shipments', () => {
    const input = partial(
      withLines([
        line({ pickedQty: decimal(20) }),
        paintLine({ pickedQty: decimal(0) }),
        eaches(5, 5),
      ]),
    );
    const r = checkCompleteness(input);
    expect(r.verdict).toBe('PASS');
    expect(r.backorder).toEqual([
      { orderLineId: 'ol-1', skuCode: 'WIDGET', quantity: decimal(4), uom: 'EA' },
      { orderLineId: 'ol-2', skuCode: 'PAINT', quantity: decimal(10), uom: 'EA' },
    ]);
    expect(r.inputs.backorder).toEqual([
      { orderLineId: 'ol-1', skuCode: 'WIDGET', quantity: '4', uom: 'EA' },
      { orderLineId: 'ol-2', skuCode: 'PAINT', quantity: '10', uom: 'EA' },
    ]);
    expect(r.details.map((d) => d.ok)).toEqual([true, true, true]);
    expect(r.details[0]?.note).toContain('backordered');
  });

  it('does not backorder a shortfall within tolerance', () => {
    const r = checkCompleteness(partial(withLines([eaches(100, 99)])));
    expect(r.verdict).toBe('PASS');
    expect(r.backorder).toEqual([]);
  });

  it('fails an over-pick beyond tolerance even for a partial customer', () => {
    const r = checkCompleteness(partial(withLines([eaches(100, 110)])));
    expect(r.verdict).toBe('FAIL');
  });

  it('fails a partial shipment on which nothing at all was picked', () => {
    const r = checkCompleteness(
      partial(withLines([eaches(5, 0), paintLine({ pickedQty: decimal(0) })])),
    );
    expect(r.verdict).toBe('FAIL');
    expect(r.reason).toBe('Nothing was picked on any line');
    expect(r.backorder).toEqual([]);
  });

  it('fails, naming the unit, when the ordered unit is unknown for the SKU', () => {
    const r = checkCompleteness(withLines([line({ orderedUom: 'DZ' })]));
    expect(r.verdict).toBe('FAIL');
    expect(r.reason).toContain('Unit DZ is not defined');
    expect(r.details[0]?.values).not.toHaveProperty('orderedBase');
  });

  it('fails negative quantities and shipments with no lines', () => {
    expect(checkCompleteness(withLines([eaches(5, -1), paintLine()])).reason).toContain(
      'negative quantity',
    );
    expect(checkCompleteness(withLines([])).reason).toBe('The shipment has no lines');
  });

  it('passes a single line exactly when picked > 0 and |variance| <= max(fraction x ordered, absolute)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 12_000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 5 }),
        (ordered, picked, pct, absolute) => {
          const fraction = decimal(pct).dividedBy(1000);
          const settings = { quantityTolerance: { fraction, absolute: decimal(absolute) } };
          const r = checkCompleteness({ ...withLines([eaches(ordered, picked)]), settings });
          // In integers: |variance| x 1000 <= ordered x pct, or within the absolute floor.
          const variance = Math.abs(picked - ordered);
          const within = variance * 1000 <= ordered * pct || variance <= absolute;
          const expected = picked > 0 && within;
          expect(r.verdict).toBe(expected ? 'PASS' : 'FAIL');
        },
      ),
    );
  });
});
