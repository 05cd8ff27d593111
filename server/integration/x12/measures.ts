import type { Measure, VolumeUnit, WeightUnit } from '../../domain/events/decimal-fields';
import { Decimal, roundMoney } from '../../lib/money';
import { decimalOf } from './segments';
import { volumeUnit, weightUnit } from './units';

// Weights and volumes read from X12 (TD1, W03, AT8) as canonical measures, and the share of a
// shipment's total that falls to one order when only the total was measured.

const MEASURE_PLACES = 4;

function positive(raw: string): string | null {
  const value = decimalOf(raw);

  return value && new Decimal(value).greaterThan(0) ? value : null;
}

export function weightOf(valueRaw: string, unitRaw: string): Measure<WeightUnit> | null {
  const value = positive(valueRaw);
  const unit = weightUnit(unitRaw);

  return value && unit ? { value, unit } : null;
}

export function volumeOf(valueRaw: string, unitRaw: string): Measure<VolumeUnit> | null {
  const value = positive(valueRaw);
  const unit = volumeUnit(unitRaw);

  return value && unit ? { value, unit } : null;
}

/**
 * `share` of `total` parts of a measure, rounded half-even to the 4 places the canonical schema
 * keeps (the one rounding policy, from server/lib/money).
 */
export function prorate<U extends string>(
  measure: Measure<U>,
  share: number,
  total: number,
): Measure<U> {
  const part = new Decimal(measure.value).times(share).dividedBy(total);

  return { value: roundMoney(part, MEASURE_PLACES).toFixed(), unit: measure.unit };
}
