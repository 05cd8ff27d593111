import { randomUUID } from 'node:crypto';
import type { ExceptionType, HoldReason, TeamKind } from '../db/generated/enums';
import type { CheckName } from '../domain/readiness/types';
import type { SimDecision, SimShipment, SimTrip } from './history-types';

// A readiness decision in the gate's own record format (readiness_decisions.checks holds
// { items, plannedDeparture, backorder }, one item per check), so that the shipment story and
// the exception screens read seeded decisions like real ones.

/** Not the product gate's version: these decisions were made by the seed's simulation. */
export const SEED_RULE_VERSION = 'seed-1';

export interface CheckSpec {
  check: CheckName;
  holdReason: HoldReason;
  exceptionType: ExceptionType;
  ownerTeam: TeamKind;
}

export const CHECKS: Record<CheckName, CheckSpec> = {
  COMPLETENESS: {
    check: 'COMPLETENESS',
    holdReason: 'QUANTITY_VARIANCE',
    exceptionType: 'QUANTITY_VARIANCE',
    ownerTeam: 'WAREHOUSE',
  },
  INVENTORY: {
    check: 'INVENTORY',
    holdReason: 'INVENTORY_UNCONFIRMED',
    exceptionType: 'INVENTORY_UNCONFIRMED',
    ownerTeam: 'WAREHOUSE',
  },
  CREDIT: {
    check: 'CREDIT',
    holdReason: 'CREDIT',
    exceptionType: 'CREDIT_HOLD',
    ownerTeam: 'BILLING',
  },
  DANGEROUS_GOODS: {
    check: 'DANGEROUS_GOODS',
    holdReason: 'DANGEROUS_GOODS_DOCUMENT',
    exceptionType: 'MISSING_DOCUMENT',
    ownerTeam: 'WAREHOUSE',
  },
  ROUTE: {
    check: 'ROUTE',
    holdReason: 'ROUTE_INELIGIBLE',
    exceptionType: 'ROUTE_INELIGIBLE',
    ownerTeam: 'DISPATCH',
  },
};

export interface CheckItem extends CheckSpec {
  verdict: 'PASS' | 'FAIL';
  inputs: Record<string, unknown>;
  reason: string;
  details: Record<string, unknown>[];
}

const shortLines = (s: SimShipment) => s.lines.filter((l) => l.pickedBase < l.orderedBase);

function lineDetails(s: SimShipment): Record<string, unknown>[] {
  return s.lines.map((l) => {
    const ok = l.pickedBase >= l.orderedBase;
    const values = {
      orderedQty: String(l.qty),
      orderedUom: l.uom,
      orderedBase: String(l.orderedBase),
      pickedBase: String(l.pickedBase),
      baseUom: 'EA',
    };

    return {
      orderLineId: l.orderLineId,
      skuCode: l.sku.code,
      ok,
      note: ok ? 'picked as ordered' : `short by ${l.orderedBase - l.pickedBase} EA`,
      values,
    };
  });
}

function reasonOf(s: SimShipment, check: CheckName, failed: boolean): string {
  const short = shortLines(s);
  const dg = s.lines.filter((l) => l.sku.unNumber);
  const reasons: Record<CheckName, [string, string]> = {
    COMPLETENESS: [
      short
        .map((l) => `line ${l.lineNo} ${l.sku.code} picked ${l.pickedBase} of ${l.orderedBase} EA`)
        .join('; '),
      short.length > 0
        ? `${short.length} short line(s) ship as a backorder: the customer accepts partial shipments`
        : 'Every line picked as ordered',
    ],
    INVENTORY: ['Picks not confirmed', 'Every picked line has a lot and a location'],
    CREDIT: [
      `Customer ${s.customer.code} is over its credit limit`,
      `Customer ${s.customer.code} is within its credit limit`,
    ],
    DANGEROUS_GOODS: [
      `Dangerous goods declaration missing for ${dg.map((l) => `line ${l.lineNo} (${l.sku.unNumber})`).join(', ')}`,
      dg.length > 0 ? 'A declaration covers every dangerous-goods line' : 'No dangerous goods',
    ],
    ROUTE: [
      'No route serves the ship-to',
      `Route ${s.route.code} serves zone ${s.location.zone.code}`,
    ],
  };

  return reasons[check][failed ? 0 : 1];
}

function inputsOf(s: SimShipment, check: CheckName): Record<string, unknown> {
  if (check === 'COMPLETENESS')
    return {
      allowsPartial: s.customer.allowsPartial,
      tolerance: { fraction: '0.02', absolute: '0' },
    };
  if (check === 'ROUTE') return { zone: s.location.zone.code, postalCode: s.location.postalCode };

  return {};
}

function plannedDepartureOf(trip: SimTrip | undefined) {
  if (!trip) return null;

  return {
    departureId: trip.departure.id,
    routeId: trip.route.id,
    serviceDate: trip.serviceDate,
    departsAt: new Date(trip.departsAt).toISOString(),
    cutoffAt: new Date(trip.cutoffAt).toISOString(),
  };
}

export function checkItems(s: SimShipment, failed: ReadonlySet<CheckName>): CheckItem[] {
  return Object.values(CHECKS).map((c) => ({
    ...c,
    verdict: failed.has(c.check) ? 'FAIL' : 'PASS',
    inputs: inputsOf(s, c.check),
    reason: reasonOf(s, c.check, failed.has(c.check)),
    // Line by line only where completeness had something to say, to keep 20,000 records lean.
    details: c.check === 'COMPLETENESS' && shortLines(s).length > 0 ? lineDetails(s) : [],
  }));
}

/** Records a gate run on the shipment; its items are returned for the holds and exceptions. */
export function decide(
  s: SimShipment,
  at: number,
  trigger: string,
  failed: ReadonlySet<CheckName>,
): { decision: SimDecision; items: CheckItem[] } {
  const items = checkItems(s, failed);
  const backorder = s.customer.allowsPartial
    ? shortLines(s).map((l) => ({
        orderLineId: l.orderLineId,
        skuCode: l.sku.code,
        quantity: String(l.orderedBase - l.pickedBase),
        uom: 'EA',
      }))
    : [];
  const decision: SimDecision = {
    id: randomUUID(),
    outcome: failed.size > 0 ? 'HOLD' : 'PASS',
    trigger,
    at,
    checks: { items, plannedDeparture: plannedDepartureOf(s.plannedTrip), backorder },
  };
  s.decisions.push(decision);

  return { decision, items };
}
