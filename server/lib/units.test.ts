import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { decimal } from './money';
import { fromBaseQuantity, toBaseQuantity, unitFactor, volumeOf, weightOf } from './units';

const units = [
  { uomCode: 'CS', factor: '12' },
  { uomCode: 'PL', factor: { toString: () => '480.0000' } },
  { uomCode: 'KG', factor: '2.5' },
];

describe('toBaseQuantity()', () => {
  it('converts cases to eaches', () => {
    const r = toBaseQuantity(decimal(3), 'CS', units, 'EA');
    expect(r.ok && r.quantity.toString()).toBe('36');
  });

  it('converts Prisma-like factors and fractional quantities', () => {
    const pallets = toBaseQuantity(decimal('0.5'), 'PL', units, 'EA');
    expect(pallets.ok && pallets.quantity.toString()).toBe('240');
    const kg = toBaseQuantity(decimal('1.1'), 'KG', units, 'EA');
    expect(kg.ok && kg.quantity.toString()).toBe('2.75');
  });

  it('leaves the base unit alone even without a sku_units row', () => {
    const r = toBaseQuantity(decimal('7'), 'EA', [], 'EA');
    expect(r).toEqual({ ok: true, quantity: decimal(7), factor: decimal(1) });
  });

  it('returns a typed error naming an unknown unit', () => {
    const r = toBaseQuantity(decimal(1), 'DZ', units, 'EA');
    expect(r).toMatchObject({ ok: false, error: 'UNKNOWN_UNIT', uomCode: 'DZ' });
    expect(!r.ok && r.message).toContain('DZ');
  });

  it('matches unit codes exactly', () => {
    expect(toBaseQuantity(decimal(1), 'cs', units, 'EA')).toMatchObject({ error: 'UNKNOWN_UNIT' });
  });

  it('refuses a zero or negative factor', () => {
    const bad = [{ uomCode: 'CS', factor: '0' }];
    expect(unitFactor('CS', bad, 'EA')).toMatchObject({ ok: false, error: 'INVALID_FACTOR' });
  });

  it('round-trips through fromBaseQuantity()', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.constantFrom('CS', 'PL', 'KG'),
        (n, uom) => {
          const base = toBaseQuantity(decimal(n), uom, units, 'EA');
          if (!base.ok) throw new Error(base.message);
          const back = fromBaseQuantity(base.quantity, uom, units, 'EA');
          expect(back.ok && back.quantity.equals(n)).toBe(true);
        },
      ),
    );
  });
});

describe('weight and volume', () => {
  it('multiplies the base quantity by the per-unit measures', () => {
    const sku = { weightKg: '0.3500', volumeM3: { toString: () => '0.000125' } };
    expect(weightOf(decimal(36), sku).toString()).toBe('12.6');
    expect(volumeOf(decimal(36), sku).toString()).toBe('0.0045');
  });
});
