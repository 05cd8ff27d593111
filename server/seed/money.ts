import Decimal from 'decimal.js';

// Money in the seed follows the product's policy: decimal arithmetic, rounded once to 4 places
// half-even before it is written (a numeric(14,4) column would round half away from zero).
// TODO(money-module): use the shared billing money module once it lands; until then this is
// the seed's only rounding of money.
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
export type Money = InstanceType<typeof Money>;

export const ZERO = new Money(0);

/** The amount as a 4-place decimal string, rounded half-even. */
export function money(value: Decimal.Value): string {
  return new Money(value).toDecimalPlaces(4, Decimal.ROUND_HALF_EVEN).toFixed(4);
}

/** A measure (weight, volume, quantity) to a fixed number of places, for decimal columns. */
export function fixed(value: number, places: number): string {
  return new Money(value).toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN).toFixed(places);
}
