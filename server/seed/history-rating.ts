import { randomUUID } from 'node:crypto';
import type { ChargeKind } from '../db/generated/enums';
import type { SimCharge, SimShipment } from './history-types';
import { Money, money } from './money';
import type { Rng } from './rng';
import type { AccessorialInfo, FuelBand, LaneInfo, MasterData } from './types';

// Rating a delivered shipment from its contract: freight by weight break with the lane's
// minimum, the fuel surcharge of the week it left, accessorials, then tax on the lot.

function charge(kind: ChargeKind, code: string, description: string, amount: Money, basis: Record<string, unknown>): SimCharge {
  return { id: randomUUID(), kind, code, description, amount: money(amount), basis };
}

function rateBreak(lane: LaneInfo, weightKg: number) {
  let chosen = lane.breaks[0];
  for (const b of lane.breaks) if (b.minWeightKg <= weightKg) chosen = b;
  if (!chosen) throw new Error(`lane ${lane.id} has no rate breaks`);

  return chosen;
}

function fuelPrice(master: MasterData, region: string, at: number): string {
  const weeks = master.fuelIndex.get(region) ?? [];
  let price = weeks[0]?.price ?? '0';
  for (const w of weeks) if (w.weekStartMs <= at) price = w.price;

  return price;
}

function fuelPercent(bands: FuelBand[], price: number): string {
  const band = bands.find((b) => price >= b.from && (b.to === null || price < b.to));

  return band?.percent ?? '0';
}

function freightCharges(s: SimShipment, lane: LaneInfo, inflate: number): SimCharge[] {
  const weight = new Money(s.weightKg.toFixed(3));
  const b = rateBreak(lane, s.weightKg);
  const freight = new Money(money(weight.times(b.ratePerKg).times(inflate)));
  const charges = [charge('FREIGHT', 'FREIGHT', 'Freight', freight, { weightKg: weight.toFixed(3), breakMinKg: b.minWeightKg, ratePerKg: b.ratePerKg })];
  const minimum = new Money(lane.minimumCharge);
  if (freight.lessThan(minimum)) {
    charges.push(charge('MINIMUM_ADJUSTMENT', 'MINIMUM', 'Minimum charge adjustment', minimum.minus(freight), { minimumCharge: lane.minimumCharge }));
  }

  return charges;
}

function accessorialCharges(rng: Rng, s: SimShipment, accessorials: AccessorialInfo[]): SimCharge[] {
  const requested: Record<string, number> = { LIFTGATE: 0.08, RESIDENTIAL: 0.03, APPOINTMENT: 0.1, PALLET_WRAP: 0.15 };

  return accessorials
    .filter((a) => (a.automatic ? a.code !== 'DG_HANDLING' || s.dangerousGoods : rng.chance(requested[a.code] ?? 0)))
    .map((a) => {
      const quantity = a.unit === 'PER_HANDLING_UNIT' ? s.handlingUnits : a.unit === 'PER_KG' ? Number(s.weightKg.toFixed(3)) : 1;

      return charge('ACCESSORIAL', a.code, a.description, new Money(a.amount).times(quantity), { unit: a.unit, quantity, amount: a.amount });
    });
}

/** The rated charges of a delivered shipment; `inflate` > 1 simulates a rating anomaly. */
export function rateShipment(master: MasterData, rng: Rng, s: SimShipment, inflate = 1): SimCharge[] {
  const contract = s.customer.contract;
  const lane = contract.lanes.get(`${s.site.id}:${s.location.zone.id}`);
  if (!lane) throw new Error(`contract of ${s.customer.code} has no lane ${s.site.code} -> ${s.location.zone.code}`);
  const charges = freightCharges(s, lane, inflate);
  const base = charges.reduce((sum, c) => sum.plus(c.amount), new Money(0));
  const price = fuelPrice(master, contract.fuelRegion, s.t.departed ?? s.t.released);
  const percent = fuelPercent(contract.fuelBands, Number(price));
  charges.push(charge('FUEL_SURCHARGE', 'FUEL', 'Fuel surcharge', base.times(percent), { fuelPrice: price, region: contract.fuelRegion, percent, base: money(base) }));
  charges.push(...accessorialCharges(rng, s, contract.accessorials));
  const subtotal = charges.reduce((sum, c) => sum.plus(c.amount), new Money(0));
  charges.push(charge('TAX', 'TAX', 'Tax', subtotal.times(contract.taxRate), { rate: contract.taxRate, base: money(subtotal) }));

  return charges;
}
