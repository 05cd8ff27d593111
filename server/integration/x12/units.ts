import type { VolumeUnit, WeightUnit } from '../../domain/events/decimal-fields';

// X12 unit codes to ours. Item units (element 355) the catalogue knows under another code are
// renamed; any other code passes through as sent, so the intake names it against the SKU's units
// rather than this table guessing.

const ITEM_UNITS: Record<string, string> = {
  EA: 'EA',
  PC: 'EA',
  CA: 'CS',
  CS: 'CS',
  PL: 'PL',
  PF: 'PL',
};

export function itemUnit(code: string): string {
  return ITEM_UNITS[code] ?? code;
}

// Element 355 spells pounds and kilograms LB/KG; element 188 (AT8, L0, W20) spells them L/K.
const WEIGHT_UNITS: Record<string, WeightUnit> = { LB: 'LB', L: 'LB', KG: 'KG', K: 'KG' };
// Element 355: CF cubic feet, CR cubic metres.
const VOLUME_UNITS: Record<string, VolumeUnit> = { CF: 'FT3', CR: 'M3', FT3: 'FT3', M3: 'M3' };

export function weightUnit(code: string): WeightUnit | null {
  return WEIGHT_UNITS[code] ?? null;
}

export function volumeUnit(code: string): VolumeUnit | null {
  return VOLUME_UNITS[code] ?? null;
}
