import { randomUUID } from 'node:crypto';
import type { Prisma } from '../db/generated/client';
import { EventType, ExceptionType, Severity, type SlaUnit } from '../db/generated/enums';
import { generateApiKey } from '../domain/integration/api-keys';
import type { FuelBand, FuelPrice } from '../domain/billing/rating';
import type { FuelTableRef } from './master-customers';
import { fixed } from './numbers';
import type { Rng } from './rng';
import { dateOnly, type RowSet } from './rows';
import type { MasterData, PartnerInfo, SiteInfo, SlaInfo } from './types';
import { FUEL_REGIONS, FX_BASES, TAX_SPECS } from './world-sites';

// Reference data: tax jurisdictions, fuel surcharge tables and the weekly fuel index, exchange
// rates, SLA policies, and the partners with the simulator's API key.

const DAY = 86_400_000;

export interface ReferenceContext {
  rng: Rng;
  rows: RowSet;
  now: Date;
  /** First day that needs rates and fuel prices. */
  from: Date;
}

export function buildTaxes(ctx: ReferenceContext): Map<string, { id: string; rate: string }> {
  const taxes = new Map<string, { id: string; rate: string }>();
  for (const t of TAX_SPECS) {
    const id = randomUUID();
    ctx.rows.add<Prisma.TaxJurisdictionCreateManyInput>('tax_jurisdictions', {
      id,
      code: t.code,
      name: t.name,
      rate: t.rate,
    });
    taxes.set(t.code, { id, rate: t.rate });
  }

  return taxes;
}

/** Bands of 25 cents from $2.50 to $6.00 a gallon; the surcharge grows with each band. */
function fuelBands(floor: number, step: number): FuelBand[] {
  const bands: FuelBand[] = [
    { priceFrom: fixed(0, 4), priceTo: fixed(2.5, 4), percent: fixed(floor, 6) },
  ];
  for (let price = 2.5, i = 1; price < 6; price += 0.25, i += 1) {
    const to = price + 0.25 >= 6 ? null : fixed(price + 0.25, 4);
    bands.push({ priceFrom: fixed(price, 4), priceTo: to, percent: fixed(floor + i * step, 6) });
  }

  return bands;
}

export function buildFuelTables(ctx: ReferenceContext): FuelTableRef[] {
  const tables = [
    { code: 'FSC-STD', name: 'Standard diesel surcharge', bands: fuelBands(0.05, 0.0075) },
    { code: 'FSC-EXPEDITED', name: 'Expedited diesel surcharge', bands: fuelBands(0.07, 0.01) },
  ];

  return tables.map((t) => {
    const id = randomUUID();
    ctx.rows.add<Prisma.FuelSurchargeTableCreateManyInput>('fuel_surcharge_tables', {
      id,
      code: t.code,
      name: t.name,
    });
    for (const b of t.bands) {
      ctx.rows.add<Prisma.FuelSurchargeBandCreateManyInput>('fuel_surcharge_bands', {
        id: randomUUID(),
        tableId: id,
        priceFrom: b.priceFrom.toString(),
        priceTo: b.priceTo === null ? null : b.priceTo.toString(),
        percent: b.percent.toString(),
      });
    }

    return { id, code: t.code, bands: t.bands };
  });
}

/** The Monday (UTC) on or before `ms`. */
function mondayOf(ms: number): number {
  const d = new Date(dateOnly(ms));

  return d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY;
}

/** The weekly diesel index per region (week starting Monday), a random walk around its base. */
export function buildFuelIndex(ctx: ReferenceContext): FuelPrice[] {
  const prices: FuelPrice[] = [];
  for (const [region, base] of Object.entries(FUEL_REGIONS)) {
    let price = base;
    for (
      let week = mondayOf(ctx.from.getTime() - 7 * DAY);
      week <= ctx.now.getTime();
      week += 7 * DAY
    ) {
      price = Math.max(2.4, price + ctx.rng.float(-0.09, 0.09));
      const row = {
        region,
        weekStart: new Date(week).toISOString().slice(0, 10),
        price: fixed(price, 4),
      };
      ctx.rows.add<Prisma.FuelPriceIndexCreateManyInput>('fuel_price_index', {
        id: randomUUID(),
        region,
        weekStart: new Date(week),
        price: row.price,
        currency: 'USD',
      });
      prices.push(row);
    }
  }

  return prices;
}

export function buildExchangeRates(ctx: ReferenceContext): MasterData['fx'] {
  const fx: MasterData['fx'] = new Map();
  const level = { ...FX_BASES };
  for (
    let day = dateOnly(ctx.from.getTime() - DAY).getTime();
    day <= ctx.now.getTime();
    day += DAY
  ) {
    const date = new Date(day);
    const quotes: Record<string, string> = { USD: '1' };
    for (const [quote, value] of Object.entries(level)) {
      const next = value * (1 + ctx.rng.float(-0.003, 0.003));
      level[quote] = next;
      quotes[quote] = fixed(next, 8);
      ctx.rows.add<Prisma.ExchangeRateCreateManyInput>('exchange_rates', {
        id: randomUUID(),
        date,
        base: 'USD',
        quote,
        rate: quotes[quote],
      });
    }
    fx.set(date.toISOString().slice(0, 10), quotes);
  }

  return fx;
}

/** Business minutes to first response and to resolution, by severity. */
const TARGETS: Record<Severity, [number, number]> = {
  CRITICAL: [15, 120],
  HIGH: [30, 240],
  MEDIUM: [60, 480],
  LOW: [240, 1440],
};
/** Money disputes wait on customers and carriers: their slower targets count business days. */
const RESOLUTION_DAYS: Partial<Record<ExceptionType, Partial<Record<Severity, number>>>> = {
  CHARGE_ANOMALY: { LOW: 5, MEDIUM: 2 },
  POD_MISMATCH: { LOW: 5, MEDIUM: 3 },
  NO_RATE: { LOW: 3 },
  CREDIT_HOLD: { LOW: 2 },
};
const SLOWER: Partial<Record<ExceptionType, number>> = {
  CHARGE_ANOMALY: 2,
  POD_MISMATCH: 2,
  NO_RATE: 2,
  ORPHAN_EVENT: 1.5,
  FAILED_JOB: 1.5,
};

export function buildSlaPolicies(ctx: ReferenceContext): Map<string, SlaInfo> {
  const sla = new Map<string, SlaInfo>();
  for (const type of Object.values(ExceptionType)) {
    for (const severity of Object.values(Severity)) {
      const [first, resolution] = TARGETS[severity];
      const factor = SLOWER[type] ?? 1;
      const days = RESOLUTION_DAYS[type]?.[severity];
      const unit: SlaUnit = days ? 'BUSINESS_DAYS' : 'BUSINESS_MINUTES';
      const policy: SlaInfo = {
        id: randomUUID(),
        type,
        severity,
        firstResponseValue: Math.round(first * factor),
        firstResponseUnit: 'BUSINESS_MINUTES',
        resolutionValue: days ?? Math.round(resolution * factor),
        resolutionUnit: unit,
      };
      const { type: exceptionType, ...targets } = policy;
      ctx.rows.add<Prisma.SlaPolicyCreateManyInput>('sla_policies', {
        ...targets,
        exceptionType,
        createdAt: ctx.now,
      });
      sla.set(`${type}:${severity}`, policy);
    }
  }

  return sla;
}

function addPartner(
  ctx: ReferenceContext,
  code: string,
  name: string,
  kind: Prisma.PartnerCreateManyInput['kind'],
  lenient = false,
): string {
  const id = randomUUID();
  ctx.rows.add<Prisma.PartnerCreateManyInput>('partners', {
    id,
    code,
    name,
    kind,
    lenient,
    createdAt: ctx.now,
  });

  return id;
}

export function buildPartners(ctx: ReferenceContext, sites: SiteInfo[]): PartnerInfo {
  const simulatorId = addPartner(ctx, 'SIM-WMS', 'Warehouse simulator', 'WMS');
  const carrierPartnerId = addPartner(
    ctx,
    'RDWF-EDI',
    'Redwood Freight Lines (EDI)',
    'CARRIER',
    true,
  );
  const erpPartnerId = addPartner(ctx, 'ERP-CORE', 'Distributor ERP', 'ERP');
  const key = generateApiKey();
  const apiKeyId = randomUUID();
  ctx.rows.add<Prisma.ApiKeyCreateManyInput>('api_keys', {
    id: apiKeyId,
    partnerId: simulatorId,
    name: 'Simulator (demo)',
    prefix: key.prefix,
    secretHash: key.secretHash,
    eventTypes: Object.values(EventType),
    canSendEvents: true,
    canRead: true,
    canSendEdi: true,
    canSendEpcis: true,
    createdAt: ctx.now,
  });
  for (const site of sites)
    ctx.rows.add<Prisma.ApiKeySiteCreateManyInput>('api_key_sites', { apiKeyId, siteId: site.id });

  return {
    simulatorId,
    carrierPartnerId,
    erpPartnerId,
    apiKeyId,
    apiKey: key.key,
    apiKeyPrefix: key.prefix,
  };
}
