import { z } from 'zod';

import { Decimal } from '../../lib/money';
import { mustBe } from './field-errors';

// Quantities, money and measures travel as decimal strings with their unit or currency beside
// them, never as JSON numbers: a float cannot hold 0.1 exactly, and a partner's "12.50" must be
// the 12.50 we store. The shared Decimal's 34 digits hold the largest accepted value (14 digits)
// times either conversion factor below (at most 11 digits) without rounding.

export const MAX_DECIMAL = new Decimal('1e9');
export const MAX_DECIMAL_PLACES = 4;

// Plain notation only: no sign, no exponent, no leading dot, no blanks.
const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

export type DecimalFloor = 'positive' | 'nonNegative';

/** The reason `raw` is not an acceptable decimal string, or null when it is. */
export function decimalProblem(label: string, raw: string, floor: DecimalFloor): string | null {
  if (!DECIMAL_PATTERN.test(raw)) {
    return `${label} must be a decimal string such as "12.50"`;
  }
  const value = new Decimal(raw);
  if (value.isNegative() && !value.isZero()) {
    return `${label} must not be negative`;
  }
  if (floor === 'positive' && value.isZero()) {
    return `${label} must be greater than zero`;
  }
  if (value.greaterThan(MAX_DECIMAL)) {
    return `${label} must not exceed ${MAX_DECIMAL.toFixed()}`;
  }
  if (value.decimalPlaces() > MAX_DECIMAL_PLACES) {
    return `${label} must have at most ${MAX_DECIMAL_PLACES} decimal places`;
  }

  return null;
}

/** Canonical spelling of an accepted decimal ("12.50" -> "12.5", "007" -> "7"). */
export function normaliseDecimal(raw: string): string {
  return new Decimal(raw).toFixed();
}

/**
 * A decimal carried as a string. The output is normalised so that "12.50" and "12.5" hash the
 * same: the value is what the sender meant, the spelling is not.
 */
export function decimalString(label: string, floor: DecimalFloor = 'positive') {
  return z
    .string({ error: mustBe(`${label} must be a decimal string such as "12.50"`) })
    .superRefine((raw, ctx) => {
      const problem = decimalProblem(label, raw, floor);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform(normaliseDecimal);
}

export const WEIGHT_UNITS = ['KG', 'LB'] as const;
export const VOLUME_UNITS = ['M3', 'FT3'] as const;
export type WeightUnit = (typeof WEIGHT_UNITS)[number];
export type VolumeUnit = (typeof VOLUME_UNITS)[number];

// Both factors are exact by definition: the international pound is 0.45359237 kg, and a foot is
// 0.3048 m, so a cubic foot is 0.3048^3 m3.
const KG_PER: Record<WeightUnit, string> = { KG: '1', LB: '0.45359237' };
const M3_PER: Record<VolumeUnit, string> = { M3: '1', FT3: '0.028316846592' };

export interface Measure<U extends string> {
  value: string;
  unit: U;
}

export function weightInKg(weight: Measure<WeightUnit>): string {
  return new Decimal(weight.value).times(KG_PER[weight.unit]).toFixed();
}

export function volumeInM3(volume: Measure<VolumeUnit>): string {
  return new Decimal(volume.value).times(M3_PER[volume.unit]).toFixed();
}

function measure<const U extends readonly [string, ...string[]]>(label: string, units: U) {
  return z.strictObject({
    value: decimalString(`${label}.value`),
    unit: z.enum(units, {
      error: (issue) =>
        issue.input === undefined
          ? 'is required'
          : `unknown ${label} unit ${JSON.stringify(issue.input)}; expected one of ${units.join(', ')}`,
    }),
  });
}

export const weightSchema = measure('weight', WEIGHT_UNITS);
export const volumeSchema = measure('volume', VOLUME_UNITS);
