import { randomUUID } from 'node:crypto';
import type { Prisma } from '../db/generated/client';
import { toStorage } from '../lib/money';
import { fixed } from './numbers';
import type { Rng } from './rng';
import type { RowSet } from './rows';
import type { SkuInfo } from './types';
import { CATEGORIES, type CategorySpec, SIZES } from './world-catalog';

// Units of measure and the SKU catalogue. Every SKU is counted in eaches and sold by the each,
// the case and the pallet.

export const SKU_COUNT = 320;

const UNITS = [
  { code: 'EA', name: 'Each' },
  { code: 'CS', name: 'Case' },
  { code: 'PL', name: 'Pallet' },
];

/** A GS1 check digit over the first 13 digits of a GTIN-14. */
function withCheckDigit(digits13: string): string {
  let sum = 0;
  for (let i = 0; i < 13; i += 1) sum += Number(digits13[i]) * (i % 2 === 0 ? 3 : 1);

  return `${digits13}${(10 - (sum % 10)) % 10}`;
}

function buildSku(rng: Rng, category: CategorySpec, index: number): SkuInfo {
  const weight = rng.float(category.weight[0], category.weight[1]);
  const caseSize = rng.pick(category.caseSizes);
  const dg = category.dg;

  return {
    id: randomUUID(),
    code: `SKU-${10_001 + index}`,
    unitPrice: toStorage(rng.float(category.price[0], category.price[1]).toFixed(2)),
    weightKg: Number(weight.toFixed(4)),
    volumeM3: Math.max(0.0001, Number((weight / category.density).toFixed(6))),
    ...(dg ? { hazardClass: dg.hazardClass, unNumber: dg.unNumber } : {}),
    factors: { EA: 1, CS: caseSize, PL: caseSize * rng.pick(category.casesPerPallet) },
    // A long tail: a few SKUs make most lines, dangerous goods sell less often.
    popularity: (1 / (1 + rng.next() * 30)) * (dg ? 0.5 : 1),
  };
}

function addSkuRows(rows: RowSet, sku: SkuInfo, category: CategorySpec, rng: Rng): void {
  const product = rng.pick(category.products);
  rows.add<Prisma.SkuCreateManyInput>('skus', {
    id: sku.id,
    code: sku.code,
    name: `${product} ${rng.pick(SIZES)}`,
    gtin: withCheckDigit(`0614141${String(sku.code.slice(4)).padStart(6, '0')}`),
    baseUom: 'EA',
    unitPrice: sku.unitPrice,
    currency: 'USD',
    weightKg: fixed(sku.weightKg, 4),
    volumeM3: fixed(sku.volumeM3, 6),
    unNumber: sku.unNumber ?? null,
    hazardClass: sku.hazardClass ?? null,
    packingGroup: category.dg?.packingGroup ?? null,
  });
  for (const [uomCode, factor] of Object.entries(sku.factors)) {
    rows.add<Prisma.SkuUnitCreateManyInput>('sku_units', {
      skuId: sku.id,
      uomCode,
      factor: fixed(factor, 4),
    });
  }
}

export function buildCatalog(rows: RowSet, rng: Rng): SkuInfo[] {
  rows.addAll<Prisma.UnitOfMeasureCreateManyInput>('units_of_measure', UNITS);
  const shares = CATEGORIES.map((c) => c.share);
  const skus: SkuInfo[] = [];
  for (let i = 0; i < SKU_COUNT; i += 1) {
    // The first categories are dealt in turn so that every one is present, DG included.
    const category =
      i < CATEGORIES.length ? (CATEGORIES[i] as CategorySpec) : rng.weighted(CATEGORIES, shares);
    const sku = buildSku(rng, category, i);
    addSkuRows(rows, sku, category, rng);
    skus.push(sku);
  }

  return skus;
}
