// Unit-of-measure conversion. Quantities are compared, picked and weighed in the SKU's base unit
// (usually EA); an order line may be in any unit the SKU defines (a case of 12, a pallet of 480).
// An unknown unit is a data problem the caller reports, so it comes back as a result, not a throw.
import { decimal, Decimal, type DecimalLike } from './money';

/** How many base units one `uomCode` of the SKU holds (sku_units.factor). */
export interface SkuUnitFactor {
  uomCode: string;
  factor: DecimalLike;
}

export type UnitErrorCode = 'UNKNOWN_UNIT' | 'INVALID_FACTOR';

export interface UnitError {
  ok: false;
  error: UnitErrorCode;
  uomCode: string;
  message: string;
}

export type UnitConversion = { ok: true; quantity: Decimal; factor: Decimal } | UnitError;

/**
 * The base-unit factor of `uomCode`: 1 for the base unit itself, otherwise the SKU's factor.
 * Codes match exactly: they are keys of units_of_measure, not free text.
 */
export function unitFactor(
  uomCode: string,
  skuUnits: readonly SkuUnitFactor[],
  baseUom: string,
): { ok: true; factor: Decimal } | UnitError {
  if (uomCode === baseUom) {
    return { ok: true, factor: new Decimal(1) };
  }

  const unit = skuUnits.find((u) => u.uomCode === uomCode);
  if (!unit) {
    return {
      ok: false,
      error: 'UNKNOWN_UNIT',
      uomCode,
      message: `Unit ${uomCode} is not defined for this SKU (base unit ${baseUom})`,
    };
  }

  const factor = decimal(unit.factor);
  // A zero or negative factor would turn every order in that unit into nothing picked.
  if (factor.lte(0)) {
    return {
      ok: false,
      error: 'INVALID_FACTOR',
      uomCode,
      message: `Unit ${uomCode} has factor ${factor.toString()}; it must be positive`,
    };
  }

  return { ok: true, factor };
}

/** `qty` of `uomCode` in the SKU's base unit: 2 CS with a factor of 12 is 24 EA. */
export function toBaseQuantity(
  qty: Decimal,
  uomCode: string,
  skuUnits: readonly SkuUnitFactor[],
  baseUom: string,
): UnitConversion {
  const f = unitFactor(uomCode, skuUnits, baseUom);
  if (!f.ok) {
    return f;
  }

  return { ok: true, quantity: qty.times(f.factor), factor: f.factor };
}

/** The inverse, for showing a base quantity in the unit it was ordered in (24 EA is 2 CS). */
export function fromBaseQuantity(
  baseQty: Decimal,
  uomCode: string,
  skuUnits: readonly SkuUnitFactor[],
  baseUom: string,
): UnitConversion {
  const f = unitFactor(uomCode, skuUnits, baseUom);
  if (!f.ok) {
    return f;
  }

  return { ok: true, quantity: baseQty.dividedBy(f.factor), factor: f.factor };
}

/** Weight and volume of one base unit, as on the SKU. */
export interface UnitMeasures {
  weightKg: DecimalLike;
  volumeM3: DecimalLike;
}

/** Weight (kg) of `baseQty` base units. */
export function weightOf(baseQty: Decimal, measures: UnitMeasures): Decimal {
  return baseQty.times(decimal(measures.weightKg));
}

/** Volume (m³) of `baseQty` base units. */
export function volumeOf(baseQty: Decimal, measures: UnitMeasures): Decimal {
  return baseQty.times(decimal(measures.volumeM3));
}
