// Rating: what a shipment costs the customer under its contract. Plain data in, charge lines
// out; the billing service loads the contract, its lane and the fuel index and writes the lines.
// Every amount is a Decimal, and each charge line is rounded once by the money policy
// (half-even, 2 places) before anything is added up, so printed lines sum to the printed total.
import { Decimal, decimal, roundMoney, sumRounded, type DecimalLike } from '../../lib/money';

import type {
  DateOnly,
  RatingBreak,
  RatingLane,
  FuelBand,
  RatingAccessorial,
  RatingContract,
  FuelPrice,
  RatingShipment,
  RatingOptions,
  ChargeLine,
  Rating,
  NoRateMissing,
  NoRate,
} from './rating.types';

export type * from './rating.types';

/**
 * Road-freight volumetric factor (1:4, i.e. 250 kg per m³): light, bulky freight pays for the
 * space it takes on the trailer.
 */
export const DEFAULT_KG_PER_M3 = 250;

const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The date as 'YYYY-MM-DD'; a Date is read in UTC, as Prisma returns @db.Date columns. */
export function dateKey(d: DateOnly): string {
  if (typeof d === 'string') {
    if (!DATE_ONLY.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`))) {
      throw new RangeError(`Not a YYYY-MM-DD date: "${d}"`);
    }

    return d;
  }

  return d.toISOString().slice(0, 10);
}

function dayNumber(d: DateOnly): number {
  return Date.parse(`${dateKey(d)}T00:00:00Z`) / DAY_MS;
}

function isNoRate<T extends object | null>(x: T | NoRate): x is NoRate {
  return x !== null && 'ok' in x && x.ok === false;
}

function noRate(missing: NoRateMissing, message: string, contract?: RatingContract): NoRate {
  return {
    ok: false,
    code: 'NO_RATE',
    missing,
    message,
    ...(contract ? { contractCode: contract.code } : {}),
  };
}

/**
 * The contract valid on `date` (validFrom <= date <= validTo). When several overlap the one
 * that started last wins: a renewal supersedes the contract it replaces.
 */
export function selectContract(
  contracts: readonly RatingContract[],
  date: DateOnly,
): RatingContract | null {
  const day = dayNumber(date);
  const valid = contracts.filter(
    (c) => dayNumber(c.validFrom) <= day && (c.validTo === null || day <= dayNumber(c.validTo)),
  );
  valid.sort(
    (a, b) => dayNumber(b.validFrom) - dayNumber(a.validFrom) || a.code.localeCompare(b.code),
  );

  return valid[0] ?? null;
}

/**
 * The weight charged: the greater of the actual weight and the volumetric weight
 * (volume x kgPerM3). Not rounded: weights carry grams and the rate applies to them as they are.
 */
export function chargeableWeight(
  weightKg: DecimalLike,
  volumeM3: DecimalLike,
  kgPerM3: DecimalLike = DEFAULT_KG_PER_M3,
): Decimal {
  const actual = decimal(weightKg);
  const volume = decimal(volumeM3);
  if (actual.isNegative() || volume.isNegative()) {
    throw new RangeError(
      `Negative weight or volume: ${actual.toString()} kg, ${volume.toString()} m³`,
    );
  }

  return Decimal.max(actual, volume.times(decimal(kgPerM3)));
}

/** The highest break whose minWeightKg <= weight; null below the lowest break. */
export function selectBreak(breaks: readonly RatingBreak[], weightKg: Decimal): RatingBreak | null {
  let best: RatingBreak | null = null;
  for (const b of breaks) {
    const from = decimal(b.minWeightKg);
    if (from.lte(weightKg) && (best === null || from.gt(decimal(best.minWeightKg)))) best = b;
  }

  return best;
}

/** The band with priceFrom <= price < priceTo (priceTo null is open-ended). */
export function selectFuelBand(bands: readonly FuelBand[], price: Decimal): FuelBand | null {
  return (
    bands.find(
      (b) =>
        decimal(b.priceFrom).lte(price) && (b.priceTo === null || price.lt(decimal(b.priceTo))),
    ) ?? null
  );
}

/**
 * The index price of the week `date` falls in: the latest weekStart on or before the date,
 * no more than six days before it. An older price is a missed publication, not this week's.
 */
export function fuelPriceForWeek(
  prices: readonly FuelPrice[],
  region: string,
  date: DateOnly,
): FuelPrice | null {
  const day = dayNumber(date);
  const inWeek = prices.filter((p) => {
    const start = dayNumber(p.weekStart);

    return p.region === region && start <= day && day - start < 7;
  });
  inWeek.sort((a, b) => dayNumber(b.weekStart) - dayNumber(a.weekStart));

  return inWeek[0] ?? null;
}

interface LineHaul {
  contract: RatingContract;
  chargeable: Decimal;
  lines: ChargeLine[];
  /** Freight plus any minimum adjustment: what the line haul costs. */
  amount: Decimal;
}

function findLane(contract: RatingContract, s: RatingShipment): RatingLane | undefined {
  return contract.lanes.find((l) => l.originSiteId === s.originSiteId && l.zoneId === s.zoneId);
}

// Contract, lane, break, freight and minimum: the part of rating the credit estimate shares.
function rateLineHaul(
  contracts: readonly RatingContract[],
  s: RatingShipment,
  options: RatingOptions,
): LineHaul | NoRate {
  const contract = selectContract(contracts, s.shipDate);
  if (!contract) return noRate('CONTRACT', `No contract is valid on ${dateKey(s.shipDate)}`);
  const lane = findLane(contract, s);
  if (!lane) {
    const msg = `Contract ${contract.code} has no lane from site ${s.originSiteId} to zone ${s.zoneId}`;

    return noRate('LANE', msg, contract);
  }

  const kgPerM3 = decimal(options.kgPerM3 ?? DEFAULT_KG_PER_M3);
  const chargeable = chargeableWeight(s.weightKg, s.volumeM3, kgPerM3);
  const rateBreak = selectBreak(lane.breaks, chargeable);
  if (!rateBreak) {
    const msg = `Lane of contract ${contract.code} has no weight break for ${chargeable.toString()} kg`;

    return noRate('BREAK', msg, contract);
  }

  const freight = freightLine(s, chargeable, kgPerM3, rateBreak);
  const minimum = minimumLine(freight.amount, decimal(lane.minimumCharge));
  const lines = minimum ? [freight, minimum] : [freight];

  return { contract, chargeable, lines, amount: sumRounded(lines.map((l) => l.amount)) };
}

function freightLine(
  s: RatingShipment,
  chargeable: Decimal,
  kgPerM3: Decimal,
  rateBreak: RatingBreak,
): ChargeLine {
  const rate = decimal(rateBreak.ratePerKg);

  return {
    kind: 'FREIGHT',
    code: 'FREIGHT',
    description: `Freight ${chargeable.toString()} kg at ${rate.toString()}/kg`,
    amount: roundMoney(chargeable.times(rate)),
    basis: {
      actualWeightKg: decimal(s.weightKg).toString(),
      volumeM3: decimal(s.volumeM3).toString(),
      kgPerM3: kgPerM3.toString(),
      chargeableWeightKg: chargeable.toString(),
      breakMinWeightKg: decimal(rateBreak.minWeightKg).toString(),
      ratePerKg: rate.toString(),
    },
  };
}

// The minimum is billed as a separate adjustment line so the invoice shows the real freight.
function minimumLine(freight: Decimal, minimum: Decimal): ChargeLine | null {
  if (freight.gte(minimum)) return null;

  return {
    kind: 'MINIMUM_ADJUSTMENT',
    code: 'MINIMUM',
    description: `Minimum charge ${roundMoney(minimum).toFixed(2)}`,
    amount: roundMoney(minimum.minus(freight)),
    basis: { minimumCharge: minimum.toString(), freight: freight.toString() },
  };
}

/**
 * Fuel surcharge on the line haul (freight plus minimum adjustment): a shipment billed at the
 * minimum still burns the fuel of the trip it is on.
 */
function fuelLine(
  haul: LineHaul,
  s: RatingShipment,
  prices: readonly FuelPrice[],
): ChargeLine | NoRate | null {
  const { contract } = haul;
  if (contract.fuelBands === null) return null;
  const region = contract.fuelRegion;
  const price = region === null ? null : fuelPriceForWeek(prices, region, s.shipDate);
  if (price === null || region === null) {
    const msg = `No fuel price for region ${region ?? '(none set)'} in the week of ${dateKey(s.shipDate)}`;

    return noRate('FUEL_PRICE', msg, contract);
  }
  const band = selectFuelBand(contract.fuelBands, decimal(price.price));
  if (!band) {
    return noRate(
      'FUEL_BAND',
      `No fuel band of ${contract.code} covers price ${price.price.toString()}`,
      contract,
    );
  }

  const percent = decimal(band.percent);
  return {
    kind: 'FUEL_SURCHARGE',
    code: 'FUEL',
    description: `Fuel surcharge ${percent.times(100).toString()} %`,
    amount: roundMoney(haul.amount.times(percent)),
    basis: {
      region,
      weekStart: dateKey(price.weekStart),
      fuelPrice: decimal(price.price).toString(),
      percent: percent.toString(),
      lineHaul: haul.amount.toString(),
    },
  };
}

/** A dangerous-goods fee ('DG' or 'DG_...') applies only to shipments carrying dangerous goods. */
export function isDangerousGoodsFee(code: string): boolean {
  return code === 'DG' || code.startsWith('DG_');
}

function accessorialQuantity(a: RatingAccessorial, s: RatingShipment, chargeable: Decimal) {
  if (a.unit === 'PER_KG') return { quantity: chargeable, assumed: false };
  if (a.unit === 'PER_HANDLING_UNIT') {
    // An uncounted shipment is at least one handling unit; the basis says it was assumed.
    return { quantity: decimal(s.handlingUnits ?? 1), assumed: s.handlingUnits === null };
  }

  return { quantity: decimal(1), assumed: false };
}

function accessorialLine(a: RatingAccessorial, s: RatingShipment, chargeable: Decimal): ChargeLine {
  const { quantity, assumed } = accessorialQuantity(a, s, chargeable);
  const rate = decimal(a.amount);

  return {
    kind: 'ACCESSORIAL',
    code: a.code,
    description: a.description,
    amount: roundMoney(rate.times(quantity)),
    basis: {
      unit: a.unit,
      rate: rate.toString(),
      quantity: quantity.toString(),
      automatic: a.automatic,
      ...(assumed ? { handlingUnitsAssumed: true } : {}),
    },
  };
}

function accessorialLines(haul: LineHaul, s: RatingShipment): ChargeLine[] | NoRate {
  const { contract } = haul;
  const requested = new Set(s.requestedAccessorials ?? []);
  const unknown = [...requested].filter((c) => !contract.accessorials.some((a) => a.code === c));
  if (unknown.length > 0) {
    const msg = `Contract ${contract.code} has no rate for accessorial ${unknown.join(', ')}`;

    return noRate('ACCESSORIAL', msg, contract);
  }

  return contract.accessorials
    .filter((a) => a.automatic || requested.has(a.code))
    .filter((a) => !isDangerousGoodsFee(a.code) || s.dangerousGoods)
    .map((a) => accessorialLine(a, s, haul.chargeable));
}

function taxLine(contract: RatingContract, taxable: Decimal): ChargeLine | null {
  if (contract.taxRate === null) return null;
  const rate = decimal(contract.taxRate);

  return {
    kind: 'TAX',
    code: 'TAX',
    description: `Tax ${rate.times(100).toString()} %`,
    amount: roundMoney(taxable.times(rate)),
    basis: { rate: rate.toString(), taxableSubtotal: taxable.toString() },
  };
}

/**
 * Rates a shipment: freight by weight break, minimum adjustment, fuel surcharge for the week's
 * index, automatic and requested accessorials, then tax on the sum of the rounded lines.
 */
export function rateShipment(
  contracts: readonly RatingContract[],
  shipment: RatingShipment,
  fuelPrices: readonly FuelPrice[],
  options: RatingOptions = {},
): Rating | NoRate {
  const haul = rateLineHaul(contracts, shipment, options);
  if (isNoRate(haul)) return haul;
  const fuel = fuelLine(haul, shipment, fuelPrices);
  if (isNoRate(fuel)) return fuel;
  const accessorials = accessorialLines(haul, shipment);
  if (isNoRate(accessorials)) return accessorials;

  const lines = [...haul.lines, ...(fuel ? [fuel] : []), ...accessorials];
  const subtotal = sumRounded(lines.map((l) => l.amount));
  const tax = taxLine(haul.contract, subtotal);
  if (tax) lines.push(tax);

  const taxAmount = tax ? tax.amount : new Decimal(0);

  return {
    ok: true,
    contractId: haul.contract.id,
    contractCode: haul.contract.code,
    currency: haul.contract.currency,
    chargeableWeightKg: haul.chargeable,
    lines,
    subtotal,
    tax: taxAmount,
    total: subtotal.plus(taxAmount),
  };
}

/**
 * The freight part of a shipment's expected value for the credit check: the line haul only
 * (freight with the minimum applied), no fuel, accessorials or tax, so it needs no fuel index.
 */
export function estimateFreight(
  contracts: readonly RatingContract[],
  shipment: RatingShipment,
  options: RatingOptions = {},
): { ok: true; amount: Decimal; currency: string; contractCode: string } | NoRate {
  const haul = rateLineHaul(contracts, shipment, options);
  if (isNoRate(haul)) return haul;

  return {
    ok: true,
    amount: haul.amount,
    currency: haul.contract.currency,
    contractCode: haul.contract.code,
  };
}
