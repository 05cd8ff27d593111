import { randomUUID } from 'node:crypto';
import { dateKey, type FuelPrice, rateShipment as rate } from '../domain/billing/rating';
import { toStorage } from '../lib/money';
import type { SimCharge, SimShipment } from './history-types';
import { fixed } from './numbers';
import type { Rng } from './rng';
import type { MasterData } from './types';

// Charges come from the product's own rating, so that the seeded invoices are the ones billing
// would have produced: freight by weight break with the lane minimum, the fuel surcharge of the
// week it shipped, accessorials, and tax on the rounded lines.

/** On-request accessorials and how often a shipment asks for one. */
const REQUESTED: [string, number][] = [
  ['LIFTGATE', 0.08],
  ['RESIDENTIAL', 0.03],
  ['APPOINTMENT', 0.1],
  ['PALLET_WRAP', 0.15],
];

export interface RatedShipment {
  charges: SimCharge[];
  subtotal: string;
  tax: string;
  total: string;
}

/** The index prices by region and week start, so that each rating gets only its week's price. */
export type FuelWeeks = Map<string, FuelPrice>;

export function fuelWeeksOf(master: MasterData): FuelWeeks {
  return new Map(master.fuelPrices.map((p) => [`${p.region}:${dateKey(p.weekStart)}`, p]));
}

/** The Monday (UTC) of a YYYY-MM-DD date's week, as the index's weeks start. */
function weekOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));

  return d.toISOString().slice(0, 10);
}

/** Rates a delivered shipment; `misweigh` > 1 rates a mis-keyed weight, an anomaly to catch. */
export function rateDelivered(
  weeks: FuelWeeks,
  rng: Rng,
  s: SimShipment,
  misweigh = 1,
): RatedShipment {
  const requested = REQUESTED.filter(([, p]) => rng.chance(p)).map(([code]) => code);
  const shipDate = s.trip?.serviceDate ?? new Date(s.t.released).toISOString().slice(0, 10);
  const price = weeks.get(`${s.customer.contract.fuelRegion}:${weekOf(shipDate)}`);
  const rating = rate(
    [s.customer.contract.rating],
    {
      originSiteId: s.site.id,
      zoneId: s.location.zone.id,
      shipDate,
      weightKg: fixed(s.weightKg * misweigh, 3),
      volumeM3: fixed(s.volumeM3, 4),
      handlingUnits: s.handlingUnits,
      dangerousGoods: s.dangerousGoods,
      requestedAccessorials: requested,
    },
    price ? [price] : [],
  );
  if (!rating.ok) throw new Error(`seed world cannot rate ${s.ref}: ${rating.message}`);
  const charges = rating.lines.map((l) => ({
    id: randomUUID(),
    kind: l.kind,
    code: l.code,
    description: l.description,
    amount: toStorage(l.amount),
    basis: l.basis,
  }));

  return {
    charges,
    subtotal: toStorage(rating.subtotal),
    tax: toStorage(rating.tax),
    total: toStorage(rating.total),
  };
}
