import { randomUUID } from 'node:crypto';
import { zonedInstant } from '../domain/dispatch/departures';
import { DAY, HOUR, type SimContext } from './history-context';
import type { SimLine, SimShipment } from './history-types';
import type { SiteDay } from './calendars';
import { decimal, sum, toStorage } from '../lib/money';
import type { Rng } from './rng';
import type { CustomerInfo, LocationInfo, MasterData, SiteInfo, SkuInfo, UomCode } from './types';

// Orders released to the sites day by day: how many, when, for whom and what.

/** Expected shipments of the default world, spread over the window by working day. */
export const DEFAULT_TOTAL_SHIPMENTS = 22_000;

export interface SiteDayPlan {
  site: SiteInfo;
  day: SiteDay;
  /** Expected releases on this day, before the day-to-day wobble. */
  expected: number;
  /** Promised delivery for the day's orders, and its local date. */
  requestedAt: number;
  requestedDate: string;
}

function dayFactor(site: SiteInfo, day: SiteDay): number {
  if (site.kind === 'CROSS_DOCK') return day.weekday === 0 || day.weekday === 6 ? 0.5 : 1;
  if (day.windows.length === 0) return 0;

  return day.weekday === 6 ? 0.3 : 1;
}

/** By 17:00 local on the next working day (two days on at the cross-dock). */
function requestedOf(
  site: SiteInfo,
  index: number,
): { requestedAt: number; requestedDate: string } {
  const days = site.calendar.days;
  const day = days[index] as SiteDay;
  const next = site.calendar.alwaysOpen
    ? (days[index + 2] ?? day)
    : (days.slice(index + 1).find((d) => d.windows.length > 0) ?? day);
  const [year, month, date] = next.date.split('-').map(Number) as [number, number, number];
  const requestedAt = zonedInstant({ year, month, day: date }, 17 * 60, site.timeZone).getTime();

  return { requestedAt, requestedDate: next.date };
}

/**
 * One plan per site and local day in the window. Without `shipmentsPerDay` (all sites, on a
 * full weekday) the rate is chosen so that the window holds about DEFAULT_TOTAL_SHIPMENTS.
 */
export function planDays(master: MasterData, shipmentsPerDay?: number): SiteDayPlan[] {
  const from = master.historyStart.getTime();
  const to = master.now.getTime();
  const plans: SiteDayPlan[] = [];
  for (const site of master.sites) {
    site.calendar.days.forEach((day, index) => {
      if (day.startMs + DAY <= from || day.startMs > to) return;
      plans.push({
        site,
        day,
        expected: site.share * dayFactor(site, day),
        ...requestedOf(site, index),
      });
    });
  }
  const weight = plans.reduce((sum, p) => sum + p.expected, 0);
  const rate = shipmentsPerDay ?? DEFAULT_TOTAL_SHIPMENTS / Math.max(weight, 1e-9);
  for (const plan of plans) plan.expected *= rate;

  return plans;
}

/** Release instants of one site-day: early in the shift at a warehouse, any time at the cross-dock. */
export function releaseTimes(rng: Rng, plan: SiteDayPlan, from: number, now: number): number[] {
  const count = Math.round(plan.expected * rng.float(0.85, 1.15));
  const window = plan.site.calendar.alwaysOpen
    ? [plan.day.startMs, plan.day.startMs + DAY]
    : plan.day.windows[0];
  if (!window || count === 0) return [];
  const [open, close] = window as [number, number];
  const span = plan.site.calendar.alwaysOpen ? close - open : (close - open) * 0.7;
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const t = Math.round(open + rng.next() * span);
    if (t >= from && t <= now) times.push(t);
  }

  return times.sort((a, b) => a - b);
}

/** Sampling by weight in O(log n), for the 20,000 draws of customers and SKUs. */
export class WeightedPool<T> {
  private readonly cumulative: number[] = [];

  constructor(
    private readonly items: readonly T[],
    weightOf: (item: T) => number,
  ) {
    let sum = 0;
    for (const item of items) this.cumulative.push((sum += weightOf(item)));
  }

  draw(rng: Rng): T {
    const total = this.cumulative[this.cumulative.length - 1] ?? 0;
    const r = rng.next() * total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] as number) <= r) lo = mid + 1;
      else hi = mid;
    }

    return this.items[lo] as T;
  }
}

export interface Demand {
  /** Per site: the delivery locations it serves, weighted by their customer's volume. */
  bySite: Map<string, WeightedPool<{ customer: CustomerInfo; location: LocationInfo }>>;
  skus: WeightedPool<SkuInfo>;
  /** Line prices by SKU, unit and exchange rate. */
  prices: Map<string, string>;
}

export function demandOf(master: MasterData): Demand {
  const bySite = new Map<
    string,
    WeightedPool<{ customer: CustomerInfo; location: LocationInfo }>
  >();
  for (const site of master.sites) {
    const pairs = master.customers.flatMap((customer) => {
      const here = customer.locations.filter((l) => l.site.id === site.id);

      return here.map((location) => ({
        customer,
        location,
        weight: customer.volume / here.length,
      }));
    });
    bySite.set(site.id, new WeightedPool(pairs, (p) => p.weight));
  }

  return { bySite, skus: new WeightedPool(master.skus, (s) => s.popularity), prices: new Map() };
}

function lineQuantity(rng: Rng, sku: SkuInfo): { uom: UomCode; qty: number } {
  const r = rng.next();
  if (r < 0.1 && sku.factors.PL * sku.weightKg <= 1_200)
    return { uom: 'PL', qty: rng.chance(0.8) ? 1 : 2 };
  if (r < 0.55) return { uom: 'CS', qty: 1 + Math.floor(rng.skewed(0, 24)) };

  return { uom: 'EA', qty: 1 + Math.floor(rng.skewed(0, 60)) };
}

function fxOf(master: MasterData, at: number, currency: string): string {
  const date = new Date(at).toISOString().slice(0, 10);

  return master.fx.get(date)?.[currency] ?? '1';
}

/** Price of one `uom` at exchange rate `fx`, cached: the same few thousand recur. */
function linePrice(demand: Demand, sku: SkuInfo, uom: UomCode, fx: string): string {
  const key = `${sku.id}:${uom}:${fx}`;
  let price = demand.prices.get(key);
  if (price === undefined) {
    price = toStorage(decimal(sku.unitPrice).times(sku.factors[uom]).times(fx));
    demand.prices.set(key, price);
  }

  return price;
}

function buildLines(
  ctx: SimContext,
  demand: Demand,
  currency: string,
  releasedAt: number,
  date: string,
): SimLine[] {
  const { rng } = ctx;
  const count = rng.weighted([1, 2, 3, 4, 5], [30, 28, 20, 13, 9]);
  const skus = new Set<SkuInfo>();
  for (let attempt = 0; skus.size < count && attempt < 20; attempt += 1)
    skus.add(demand.skus.draw(rng));
  const fx = fxOf(ctx.master, releasedAt, currency);

  return [...skus].map((sku, i) => {
    const { uom, qty } = lineQuantity(rng, sku);
    const orderedBase = qty * sku.factors[uom];

    return {
      orderLineId: randomUUID(),
      shipmentLineId: randomUUID(),
      lineNo: i + 1,
      sku,
      uom,
      qty,
      unitPrice: linePrice(demand, sku, uom, fx),
      orderedBase,
      pickedBase: orderedBase,
      lot: `L${date.replaceAll('-', '').slice(2)}-${rng.int(100, 999)}`,
      location: `${String.fromCharCode(65 + rng.int(0, 11))}-${String(rng.int(1, 40)).padStart(2, '0')}-${rng.int(1, 6)}`,
    };
  });
}

export function releaseShipment(
  ctx: SimContext,
  demand: Demand,
  plan: SiteDayPlan,
  releasedAt: number,
  n: number,
): SimShipment {
  const pool = demand.bySite.get(plan.site.id);
  if (!pool) throw new Error(`no demand at ${plan.site.code}`);
  const { customer, location } = pool.draw(ctx.rng);
  const route = plan.site.routeOfZone.get(location.zone.id);
  if (!route) throw new Error(`no route to ${location.zone.code} from ${plan.site.code}`);
  const currency = customer.currency;
  const lines = buildLines(ctx, demand, currency, releasedAt, plan.day.date);
  const goodsValue = sum(lines.map((l) => decimal(l.unitPrice).times(l.qty)));
  const number = String(100_000 + n);

  return {
    id: randomUUID(),
    ref: `SH-${number}`,
    orderId: randomUUID(),
    orderRef: `SO-${number}`,
    poNumber: `PO-${customer.code}-${ctx.rng.int(10_000, 99_999)}`,
    site: plan.site,
    customer,
    location,
    route,
    lines,
    dangerousGoods: lines.some((l) => l.sku.hazardClass !== undefined),
    currency,
    goodsValue: toStorage(goodsValue),
    requestedAt: Math.max(plan.requestedAt, releasedAt + 4 * HOUR),
    requestedDate: plan.requestedDate,
    ...untouched(releasedAt),
  };
}

/** What a just-released shipment has: nothing measured, nothing recorded yet. */
function untouched(releasedAt: number) {
  return {
    weightKg: 0,
    volumeM3: 0,
    handlingUnits: 0,
    t: { released: releasedAt },
    events: [],
    decisions: [],
    holds: [],
    exceptions: [],
    documents: [],
    charges: [],
  };
}
