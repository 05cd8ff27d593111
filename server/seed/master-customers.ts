import { randomUUID } from 'node:crypto';
import type { Prisma } from '../db/generated/client';
import type {
  FuelBand,
  RatingAccessorial,
  RatingContract,
  RatingLane,
} from '../domain/billing/rating';
import { decimal, toStorage } from '../lib/money';
import { fixed } from './numbers';
import type { Rng } from './rng';
import { dateOnly, type RowSet } from './rows';
import type {
  ContractInfo,
  CustomerInfo,
  LocationInfo,
  PayProfile,
  SiteInfo,
  ZoneInfo,
} from './types';
import {
  COMPANY_PREFIXES,
  COMPANY_SUFFIXES,
  COMPANY_TRADES,
  LOCATION_KINDS,
  STREETS,
} from './world-names';
import { FX_BASES } from './world-sites';

// Customers, their delivery locations, and one contract each with its rate card.

export const CUSTOMER_COUNT = 48;
/** Customers that pay so late that they end up over their credit limit at `now`. */
export const SLOW_PAYERS = new Set([6, 19, 33]);
const CURRENCY_OF: Record<number, string> = { 5: 'CAD', 22: 'CAD', 37: 'CAD', 14: 'MXN' };
const TAX_OF_CURRENCY: Record<string, string> = { CAD: 'CA-ON', MXN: 'MX-IVA' };
/** Weight breaks (kg) and the share of the base rate charged from each. */
const BREAKS: [number, number][] = [
  [0, 1],
  [100, 0.86],
  [500, 0.74],
  [1000, 0.64],
  [2500, 0.56],
  [5000, 0.5],
];

export interface FuelTableRef {
  id: string;
  code: string;
  bands: FuelBand[];
}

export interface CustomerContext {
  rng: Rng;
  rows: RowSet;
  now: Date;
  sites: SiteInfo[];
  taxes: Map<string, { id: string; rate: string }>;
  fuelTables: FuelTableRef[];
}

function companyNames(rng: Rng, count: number): string[] {
  const names = new Set<string>();
  while (names.size < count) {
    names.add(
      `${rng.pick(COMPANY_PREFIXES)} ${rng.pick(COMPANY_TRADES)} ${rng.pick(COMPANY_SUFFIXES)}`,
    );
  }

  return [...names];
}

function addLocation(
  ctx: CustomerContext,
  customerId: string,
  code: string,
  label: string,
  site: SiteInfo,
  zone: ZoneInfo,
): LocationInfo {
  const id = randomUUID();
  const postalCode = `${ctx.rng.pick(zone.prefixes)}${String(ctx.rng.int(1, 99)).padStart(2, '0')}`;
  ctx.rows.add<Prisma.CustomerLocationCreateManyInput>('customer_locations', {
    id,
    customerId,
    code,
    name: label,
    addressLine: `${ctx.rng.int(10, 9999)} ${ctx.rng.pick(STREETS)}`,
    city: zone.city,
    region: zone.region,
    postalCode,
    country: 'US',
    gln: `0614141${String(ctx.rng.int(0, 999_999)).padStart(6, '0')}`,
    createdAt: ctx.now,
  });

  return { id, code, zone, site, postalCode };
}

function addLocations(
  ctx: CustomerContext,
  customerId: string,
  code: string,
  name: string,
  home: SiteInfo,
): LocationInfo[] {
  const count = ctx.rng.weighted([1, 2, 3], [3, 4, 3]);
  const short = name.split(' ').slice(0, 2).join(' ');

  return Array.from({ length: count }, (_, i) => {
    // Most locations are in the home site's area; some are served by another site.
    const site = i === 0 || ctx.rng.chance(0.75) ? home : ctx.rng.pick(ctx.sites);
    const kind = ctx.rng.pick(LOCATION_KINDS);

    return addLocation(
      ctx,
      customerId,
      `${code}-L${i + 1}`,
      `${short} ${kind} #${i + 1}`,
      site,
      ctx.rng.pick(site.zones),
    );
  });
}

function addLane(
  ctx: CustomerContext,
  contractId: string,
  site: SiteInfo,
  zone: ZoneInfo,
  fx: number,
): RatingLane {
  const id = randomUUID();
  const base = ctx.rng.float(0.28, 0.6) * (1 + zone.transitHours * 0.05) * fx;
  const lane: RatingLane = {
    originSiteId: site.id,
    zoneId: zone.id,
    minimumCharge: toStorage(decimal(ctx.rng.int(55, 140)).times(fixed(fx, 4))),
    breaks: BREAKS.map(([minWeightKg, share]) => ({
      minWeightKg: fixed(minWeightKg, 3),
      ratePerKg: fixed(base * share, 6),
    })),
  };
  ctx.rows.add<Prisma.ContractLaneCreateManyInput>('contract_lanes', {
    id,
    contractId,
    originSiteId: site.id,
    zoneId: zone.id,
    minimumCharge: lane.minimumCharge.toString(),
  });
  for (const b of lane.breaks) {
    ctx.rows.add<Prisma.LaneRateBreakCreateManyInput>('lane_rate_breaks', {
      id: randomUUID(),
      laneId: id,
      minWeightKg: b.minWeightKg.toString(),
      ratePerKg: b.ratePerKg.toString(),
    });
  }

  return lane;
}

/** Code, description, unit, USD amount and whether it applies without being asked for. */
const ACCESSORIALS: [string, string, RatingAccessorial['unit'], string, boolean][] = [
  ['DG_HANDLING', 'Dangerous goods handling', 'PER_SHIPMENT', '45', true],
  ['LIFTGATE', 'Liftgate delivery', 'PER_SHIPMENT', '75', false],
  ['RESIDENTIAL', 'Residential delivery', 'PER_SHIPMENT', '60', false],
  ['APPOINTMENT', 'Delivery appointment', 'PER_SHIPMENT', '35', false],
  ['PALLET_WRAP', 'Pallet stretch wrap', 'PER_HANDLING_UNIT', '6.5', false],
];

/** Lanes for every site and zone the customer's locations need, and the accessorials. */
function addRateCard(
  ctx: CustomerContext,
  contractId: string,
  locations: LocationInfo[],
  fx: number,
) {
  const lanes = new Map<string, RatingLane>();
  for (const loc of locations) {
    const key = `${loc.site.id}:${loc.zone.id}`;
    if (!lanes.has(key)) lanes.set(key, addLane(ctx, contractId, loc.site, loc.zone, fx));
  }
  const accessorials = ACCESSORIALS.map(
    ([code, description, unit, usd, automatic]): RatingAccessorial => {
      const amount = toStorage(decimal(usd).times(fixed(fx, 4)));
      ctx.rows.add<Prisma.AccessorialCreateManyInput>('accessorials', {
        id: randomUUID(),
        contractId,
        code,
        description,
        unit,
        amount,
        automatic,
      });

      return { code, description, unit, amount, automatic };
    },
  );

  return { lanes: [...lanes.values()], accessorials };
}

function addContract(
  ctx: CustomerContext,
  customerId: string,
  code: string,
  currency: string,
  home: SiteInfo,
  locations: LocationInfo[],
): ContractInfo {
  const id = randomUUID();
  const fuelTable = ctx.rng.chance(0.8)
    ? (ctx.fuelTables[0] as FuelTableRef)
    : (ctx.fuelTables[1] as FuelTableRef);
  const tax = ctx.taxes.get(TAX_OF_CURRENCY[currency] ?? home.taxCode);
  if (!tax) throw new Error(`no tax jurisdiction for ${code}`);
  const validFrom = dateOnly(ctx.now.getTime() - 400 * 86_400_000);
  ctx.rows.add<Prisma.ContractCreateManyInput>('contracts', {
    id,
    customerId,
    code: `CT-${code}`,
    currency,
    validFrom,
    fuelTableId: fuelTable.id,
    fuelRegion: home.fuelRegion,
    taxId: tax.id,
    createdAt: ctx.now,
  });
  const card = addRateCard(ctx, id, locations, FX_BASES[currency] ?? 1);
  const rating: RatingContract = {
    id,
    code: `CT-${code}`,
    currency,
    validFrom,
    validTo: null,
    fuelBands: fuelTable.bands,
    fuelRegion: home.fuelRegion,
    taxRate: tax.rate,
    ...card,
  };

  return { id, currency, fuelRegion: home.fuelRegion, rating };
}

function payProfileOf(rng: Rng, index: number): PayProfile {
  if (SLOW_PAYERS.has(index)) return 'SLOW';

  return rng.chance(0.2) ? 'LATE' : 'PROMPT';
}

/** Slow payers are sizeable accounts at the warehouses, so that their exposure shows. */
function homeOf(ctx: CustomerContext, index: number): SiteInfo {
  if (SLOW_PAYERS.has(index)) return ctx.sites[index % 3] as SiteInfo;

  return ctx.rng.weighted(
    ctx.sites,
    ctx.sites.map((s) => s.share),
  );
}

function buildCustomer(ctx: CustomerContext, index: number, name: string): CustomerInfo {
  const id = randomUUID();
  const code = `C${1001 + index}`;
  const currency = CURRENCY_OF[index] ?? 'USD';
  const home = homeOf(ctx, index);
  const termsDays = ctx.rng.pick([15, 30, 30, 30, 45, 60]);
  const allowsPartial = ctx.rng.chance(0.3);
  const volume = SLOW_PAYERS.has(index) ? 2 : ctx.rng.float(0.4, 2);
  ctx.rows.add<Prisma.CustomerCreateManyInput>('customers', {
    id,
    code,
    name,
    currency,
    // A placeholder in proportion to volume; seedHistory sets the limits against the
    // exposure the simulated history leaves.
    creditLimit: toStorage(Math.round(volume * 30) * 5_000),
    paymentTermsDays: termsDays,
    allowsPartial,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  });
  const locations = addLocations(ctx, id, code, name, home);
  const contract = addContract(ctx, id, code, currency, home, locations);

  return {
    id,
    code,
    currency,
    termsDays,
    allowsPartial,
    payProfile: payProfileOf(ctx.rng, index),
    volume,
    locations,
    contract,
  };
}

export function buildCustomers(ctx: CustomerContext): CustomerInfo[] {
  return companyNames(ctx.rng, CUSTOMER_COUNT).map((name, i) => buildCustomer(ctx, i, name));
}
