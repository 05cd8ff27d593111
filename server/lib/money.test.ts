import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  addMoney,
  compareMoney,
  CurrencyMismatchError,
  Decimal,
  money,
  moneyOf,
  moneyToJson,
  percentOf,
  roundMoney,
  subtractMoney,
  sum,
  sumMoney,
  sumRounded,
  toStorage,
} from './money';

// Amounts with up to 6 decimals, as rates and quantities produce them, built from integers so
// that no float is involved.
const amount = fc
  .tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: 0, max: 6 }))
  .map(([units, scale]) => new Decimal(units.toString()).dividedBy(new Decimal(10).pow(scale)));

describe('money()', () => {
  it('reads strings, integers and Decimal-likes', () => {
    expect(money('12.3400').toString()).toBe('12.34');
    expect(money(-7).toString()).toBe('-7');
    expect(money({ toString: () => '0.0001' }).toString()).toBe('0.0001');
    expect(money(' 1e-7 ').toFixed(7)).toBe('0.0000001');
  });

  it('refuses fractional numbers, which are floats that already lost the amount', () => {
    expect(() => money(0.1)).toThrow(RangeError);
    expect(() => money(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
  });

  it('refuses text that is not a plain decimal', () => {
    for (const bad of ['', 'abc', 'NaN', 'Infinity', '0x1f', '1,5', '12.3.4']) {
      expect(() => money(bad), bad).toThrow(RangeError);
    }
  });

  it('keeps 34 significant digits', () => {
    const third = money(1).dividedBy(3);
    expect(third.toString()).toBe('0.' + '3'.repeat(34));
  });
});

describe('roundMoney()', () => {
  it.each([
    ['0.125', '0.12'],
    ['0.135', '0.14'],
    ['0.145', '0.14'],
    ['2.5', '2.50'],
    ['-0.125', '-0.12'],
    ['-0.135', '-0.14'],
    ['0.1250001', '0.13'],
    ['1.005', '1.00'],
  ])('rounds %s half-even to %s', (input, expected) => {
    expect(roundMoney(input).toFixed(2)).toBe(expected);
  });

  it('rounds to other places on request', () => {
    expect(roundMoney('2.5', 0).toString()).toBe('2');
    expect(roundMoney('3.5', 0).toString()).toBe('4');
    expect(roundMoney('0.00005', 4).toString()).toBe('0');
    expect(roundMoney('0.00015', 4).toString()).toBe('0.0002');
  });

  it('is idempotent and symmetric around zero', () => {
    fc.assert(
      fc.property(amount, (a) => {
        const r = roundMoney(a);
        expect(roundMoney(r).equals(r)).toBe(true);
        expect(roundMoney(a.negated()).equals(r.negated())).toBe(true);
        expect(r.minus(a).abs().lte('0.005')).toBe(true);
      }),
    );
  });
});

describe('toStorage()', () => {
  it('writes exactly four places, rounded half-even', () => {
    expect(toStorage('1.23445')).toBe('1.2344');
    expect(toStorage('1.23455')).toBe('1.2346');
    expect(toStorage(5)).toBe('5.0000');
    expect(toStorage('-0.00005')).toBe('0.0000');
  });

  it('round-trips through money()', () => {
    fc.assert(
      fc.property(amount, (a) => {
        const stored = toStorage(a);
        expect(stored).toMatch(/^-?\d+\.\d{4}$/);
        expect(toStorage(money(stored))).toBe(stored);
      }),
    );
  });
});

describe('sums', () => {
  it('sum() is exact and sumRounded() rounds each line first', () => {
    const lines = ['0.125', '0.125', '0.125'];
    expect(sum(lines).toString()).toBe('0.375');
    expect(roundMoney(sum(lines)).toFixed(2)).toBe('0.38');
    expect(sumRounded(lines).toFixed(2)).toBe('0.36');
    expect(sum([]).toString()).toBe('0');
  });

  // The documented gap between the two totals: each line's rounding moves it by at most half a
  // cent, and the final rounding of the exact sum by at most another half cent.
  it('sum of rounded lines stays within (n + 1) half-cents of the rounded sum', () => {
    fc.assert(
      fc.property(fc.array(amount, { maxLength: 50 }), (lines) => {
        const gap = sumRounded(lines)
          .minus(roundMoney(sum(lines)))
          .abs();
        expect(gap.lte(new Decimal('0.005').times(lines.length + 1))).toBe(true);
      }),
    );
  });

  it('sumRounded equals the rounded sum when every line already has two places', () => {
    fc.assert(
      fc.property(fc.array(amount.map((a) => roundMoney(a))), (lines) => {
        expect(sumRounded(lines).equals(roundMoney(sum(lines)))).toBe(true);
      }),
    );
  });

  it('percentOf takes a fraction and does not round', () => {
    expect(percentOf('100.00', '0.185').toString()).toBe('18.5');
    expect(percentOf('33.33', '0.0725').toString()).toBe('2.416425');
  });
});

describe('Money', () => {
  it('adds, subtracts and compares within one currency', () => {
    const a = moneyOf('10.50', 'usd');
    const b = moneyOf('0.25', 'USD ');
    expect(addMoney(a, b)).toEqual({ amount: money('10.75'), currency: 'USD' });
    expect(subtractMoney(a, b).amount.toString()).toBe('10.25');
    expect(compareMoney(a, b)).toBe(1);
    expect(compareMoney(b, a)).toBe(-1);
    expect(compareMoney(a, moneyOf('10.5000', 'USD'))).toBe(0);
  });

  it('refuses mixed currencies', () => {
    const usd = moneyOf(1, 'USD');
    const eur = moneyOf(1, 'EUR');
    expect(() => addMoney(usd, eur)).toThrow(CurrencyMismatchError);
    expect(() => compareMoney(usd, eur)).toThrow(CurrencyMismatchError);
    expect(() => sumMoney([usd, eur], 'USD')).toThrow(CurrencyMismatchError);
  });

  it('refuses codes that are not ISO 4217 shaped', () => {
    expect(() => moneyOf(1, 'US')).toThrow(RangeError);
    expect(() => moneyOf(1, 'US$')).toThrow(RangeError);
  });

  it('sums to zero when empty and prints JSON-safe text', () => {
    expect(sumMoney([], 'EUR')).toEqual({ amount: money(0), currency: 'EUR' });
    expect(moneyToJson(moneyOf('12.34565', 'EUR'))).toEqual({ amount: '12.3456', currency: 'EUR' });
  });
});
