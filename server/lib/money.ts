// The one module for money. Every amount is a Decimal from the clone configured here, and every
// rounding goes through `roundMoney` so that the product has exactly one rounding policy:
// half-even (banker's rounding), which does not drift upwards when many lines are rounded.
import DecimalJs from 'decimal.js';

/**
 * decimal.js configured for money: 34 significant digits (IEEE decimal128, so intermediate
 * products such as weight x rate x percent never lose digits) and half-even rounding.
 */
export const Decimal = DecimalJs.clone({
  precision: 34,
  rounding: DecimalJs.ROUND_HALF_EVEN,
  toExpNeg: -40,
  toExpPos: 40,
});
export type Decimal = DecimalJs;

/** Anything that prints as a decimal number: our Decimal, Prisma's Decimal, a numeric string. */
export interface DecimalLike {
  toString(): string;
}

export type MoneyInput = string | number | DecimalLike;

export const MONEY_PLACES = 2;
export const STORAGE_PLACES = 4;

// Plain decimal notation only: decimal.js would also accept hex, binary, NaN and Infinity,
// none of which is an amount.
const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Builds a Decimal from a string, an integer, or a Decimal-like value (Prisma's Decimal is a
 * separate decimal.js copy with another configuration, so it is re-read through its text,
 * never trusted by instanceof). Fractional numbers are refused: a float has already lost the
 * amount before it gets here.
 */
export function money(x: MoneyInput): Decimal {
  if (typeof x === 'number') {
    if (!Number.isSafeInteger(x)) {
      throw new RangeError(`money() takes integers only, got ${x}; pass fractions as strings`);
    }

    return new Decimal(x);
  }

  const text = (typeof x === 'string' ? x : x.toString()).trim();
  if (!DECIMAL_TEXT.test(text)) {
    throw new RangeError(`Not a decimal amount: "${text}"`);
  }

  return new Decimal(text);
}

/** The same reader for quantities, weights and rates, which share the Decimal configuration. */
export const decimal = money;

/** Rounds half-even to `places` decimals: 0.125 -> 0.12, 0.135 -> 0.14. */
export function roundMoney(d: MoneyInput, places: number = MONEY_PLACES): Decimal {
  return money(d).toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN);
}

/**
 * The text to write into a numeric(14,4) column. PostgreSQL rounds half away from zero when it
 * coerces to the column's scale, so we round half-even to 4 places first and hand it a value
 * it has nothing left to round.
 */
export function toStorage(d: MoneyInput): string {
  return roundMoney(d, STORAGE_PLACES).toFixed(STORAGE_PLACES);
}

/** Exact sum, no rounding. */
export function sum(values: Iterable<MoneyInput>): Decimal {
  let total = new Decimal(0);
  for (const v of values) {
    total = total.plus(money(v));
  }

  return total;
}

/**
 * Sum of the lines each rounded first. This is how an invoice totals: the printed lines add up
 * to the printed total. It may differ from `roundMoney(sum(lines))` by up to half a unit of the
 * last place per line (see money.test.ts); the per-line figure is the one we bill.
 */
export function sumRounded(values: Iterable<MoneyInput>, places: number = MONEY_PLACES): Decimal {
  let total = new Decimal(0);
  for (const v of values) {
    total = total.plus(roundMoney(v, places));
  }

  return total;
}

/**
 * `base` times `fraction`, unrounded. Rates in the schema are fractions (0.0725 is 7.25 %), so
 * this takes the fraction; round the result with `roundMoney` where it becomes a charge line.
 */
export function percentOf(base: MoneyInput, fraction: MoneyInput): Decimal {
  return money(base).times(money(fraction));
}

/** An amount in a currency (ISO 4217 code). */
export interface Money {
  amount: Decimal;
  currency: string;
}

export class CurrencyMismatchError extends Error {
  readonly left: string;
  readonly right: string;

  constructor(left: string, right: string) {
    super(`Cannot combine ${left} with ${right} without an exchange rate`);
    this.name = 'CurrencyMismatchError';
    this.left = left;
    this.right = right;
  }
}

const CURRENCY_CODE = /^[A-Z]{3}$/;

export function moneyOf(amount: MoneyInput, currency: string): Money {
  // Char(3) columns come back padded or in lower case from some feeds; the code itself is strict.
  const code = currency.trim().toUpperCase();
  if (!CURRENCY_CODE.test(code)) {
    throw new RangeError(`Not an ISO 4217 currency code: "${currency}"`);
  }

  return { amount: money(amount), currency: code };
}

function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new CurrencyMismatchError(a.currency, b.currency);
  }
}

export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);

  return { amount: a.amount.plus(b.amount), currency: a.currency };
}

export function subtractMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);

  return { amount: a.amount.minus(b.amount), currency: a.currency };
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`. */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  assertSameCurrency(a, b);
  const c = a.amount.comparedTo(b.amount);

  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

/** Sums amounts that must all be in `currency`; an empty list is zero in that currency. */
export function sumMoney(values: Iterable<Money>, currency: string): Money {
  let total = moneyOf(0, currency);
  for (const v of values) {
    total = addMoney(total, v);
  }

  return total;
}

/** JSON-safe form for decision records and APIs: the amount as text, never a float. */
export function moneyToJson(
  m: Money,
  places: number = STORAGE_PLACES,
): {
  amount: string;
  currency: string;
} {
  return { amount: roundMoney(m.amount, places).toFixed(places), currency: m.currency };
}
