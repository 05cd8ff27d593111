// Route eligibility: can this shipment go out at all? The ship-to must be in a zone we deliver
// to, a route of the site must serve that zone and run a departure the stage can make, and the
// site must have a vehicle that may carry its dangerous goods and that it fits in. This is
// eligibility, not a booking: capacity already taken on a trip is slotting's question.
import { Decimal, decimal } from '../../lib/money';
import { volumeOf, weightOf } from '../../lib/units';
import {
  departureProblems,
  isValidTimeZone,
  nextDeparture,
  type PlannedDeparture,
} from '../dispatch/departures';
import { isDangerousLine } from './dangerous-goods-check';
import type { CheckResult, GateInput, GateRoute, GateVehicle, GateZone, JsonRecord } from './types';

export type RouteResult = CheckResult & { plannedDeparture?: PlannedDeparture };

// Postal codes arrive as "SW1A 1AA", "sw1a1aa" or "10001-1234"; prefixes are compared on the
// bare characters.
function bare(postal: string): string {
  return postal.toUpperCase().replace(/[\s-]/g, '');
}

export function matchZones(shipTo: GateInput['shipTo'], zones: readonly GateZone[]): GateZone[] {
  const country = shipTo.country.trim().toUpperCase();
  const postal = bare(shipTo.postalCode);

  return zones.filter(
    (z) =>
      z.country.trim().toUpperCase() === country &&
      z.postalPrefixes.some((p) => bare(p).length > 0 && postal.startsWith(bare(p))),
  );
}

export function servingRoutes(routes: readonly GateRoute[], zones: readonly GateZone[]) {
  const ids = new Set(zones.map((z) => z.id));

  return routes.filter((r) => r.zoneIds.some((id) => ids.has(id)));
}

/** DG classes the vehicle must be certified for, and DG SKUs whose class is unknown. */
export function requiredDgClasses(input: GateInput) {
  const dgLines = input.lines.filter(isDangerousLine);
  const classes = [...new Set(dgLines.flatMap((l) => l.sku.hazardClass?.trim() || []))].sort();
  const unclassified = dgLines.filter((l) => !l.sku.hazardClass?.trim()).map((l) => l.sku.code);

  return { dangerous: input.shipment.dangerousGoods || dgLines.length > 0, classes, unclassified };
}

/** Measured weight and volume, or the picked lines' when the warehouse has not measured. */
export function shipmentLoad(input: GateInput) {
  const picked = input.lines.map((l) => ({ qty: decimal(l.pickedQty), sku: l.sku }));
  const linesWeight = Decimal.sum(0, ...picked.map((p) => weightOf(p.qty, p.sku)));
  const linesVolume = Decimal.sum(0, ...picked.map((p) => volumeOf(p.qty, p.sku)));
  const { weightKg, volumeM3 } = input.shipment;

  return {
    weightKg: weightKg === null ? linesWeight : decimal(weightKg),
    volumeM3: volumeM3 === null ? linesVolume : decimal(volumeM3),
    source: weightKg === null || volumeM3 === null ? 'lines' : 'measured',
  };
}

// Exact class match: certification for class 2 says nothing about division 2.1 on its own.
function isCertified(v: GateVehicle, dg: ReturnType<typeof requiredDgClasses>): boolean {
  if (!dg.dangerous) return true;
  const held = new Set(v.dgClasses.map((c) => c.trim()));

  return held.size > 0 && dg.classes.every((c) => held.has(c));
}

function vehicleFindings(input: GateInput) {
  const dg = requiredDgClasses(input);
  const load = shipmentLoad(input);
  const certified = input.vehicles.filter((v) => isCertified(v, dg));
  const fitting = certified.filter(
    (v) => load.weightKg.lte(decimal(v.maxWeightKg)) && load.volumeM3.lte(decimal(v.maxVolumeM3)),
  );
  const problems: string[] = [];
  if (dg.unclassified.length > 0) {
    problems.push(`no hazard class on dangerous-goods SKU ${dg.unclassified.join(', ')}`);
  } else if (certified.length === 0) {
    const classes = dg.classes.length > 0 ? `class ${dg.classes.join(', ')}` : 'dangerous goods';
    problems.push(`no vehicle at the site is certified for ${classes}`);
  } else if (fitting.length === 0) {
    const carried = `${load.weightKg.toString()} kg / ${load.volumeM3.toString()} m³`;
    problems.push(`no ${dg.dangerous ? 'certified ' : ''}vehicle can carry ${carried}`);
  }
  const inputs: JsonRecord = {
    dangerousGoods: dg.dangerous,
    dgClasses: dg.classes,
    weightKg: load.weightKg.toString(),
    volumeM3: load.volumeM3.toString(),
    loadSource: load.source,
    certifiedVehicles: certified.map((v) => v.code),
    fittingVehicles: fitting.map((v) => v.code),
  };

  return { problems, fitting, inputs };
}

function departureFindings(input: GateInput, routes: readonly GateRoute[]) {
  const departures = routes.flatMap((r) => r.departures.map((d) => ({ ...d, routeId: r.id })));
  const invalid = departures
    .map((d) => ({ departureId: d.id, problems: departureProblems(d) }))
    .filter((d) => d.problems.length > 0);
  const { timeZone } = input.site;
  if (!isValidTimeZone(timeZone)) {
    return { problem: `the site's time zone "${timeZone}" is unknown`, invalid };
  }

  const horizonDays = input.settings.departureHorizonDays;
  const planned = nextDeparture(departures, timeZone, input.shipment.stagedAt, { horizonDays });
  if (!planned) {
    return { problem: 'no departure of the serving routes runs within the horizon', invalid };
  }

  return { planned, invalid };
}

function plannedJson(p: PlannedDeparture): JsonRecord {
  return {
    departureId: p.departureId,
    routeId: p.routeId ?? null,
    serviceDate: p.serviceDate,
    departsAt: p.departsAt.toISOString(),
    cutoffAt: p.cutoffAt.toISOString(),
  };
}

// Zone, route and departure are a chain: only the first missing link is worth reporting.
function lanePath(input: GateInput) {
  const zones = matchZones(input.shipTo, input.zones);
  const routes = servingRoutes(input.routes, zones);
  const inputs: JsonRecord = {
    shipTo: { postalCode: input.shipTo.postalCode, country: input.shipTo.country },
    stagedAt: input.shipment.stagedAt.toISOString(),
    timeZone: input.site.timeZone,
    zones: zones.map((z) => z.code),
    routes: routes.map((r) => r.code),
  };
  if (zones.length === 0) {
    const where = `${input.shipTo.postalCode}, ${input.shipTo.country}`;

    return { problem: `ship-to ${where} is outside every delivery zone`, inputs };
  }
  if (routes.length === 0) {
    const codes = zones.map((z) => z.code).join(', ');

    return { problem: `no route of the site serves zone ${codes}`, inputs };
  }

  const dep = departureFindings(input, routes);
  const withDeparture = {
    ...inputs,
    plannedDeparture: dep.planned ? plannedJson(dep.planned) : null,
    invalidDepartures: dep.invalid,
  };

  const route = routes.find((r) => r.id === dep.planned?.routeId);

  return {
    problem: dep.problem,
    planned: dep.planned,
    routeCode: route?.code,
    inputs: withDeparture,
  };
}

export function checkRoute(input: GateInput): RouteResult {
  const lane = lanePath(input);
  const vehicles = vehicleFindings(input);
  const problems = [...(lane.problem ? [lane.problem] : []), ...vehicles.problems];
  const pass = problems.length === 0;
  const planned = lane.planned;
  const fits = vehicles.fitting.map((v) => v.code).join(', ');
  const reason = pass
    ? `Makes route ${lane.routeCode} departing ${planned?.serviceDate}; fits ${fits}`
    : problems.map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('; ');

  return {
    check: 'ROUTE',
    verdict: pass ? 'PASS' : 'FAIL',
    ...(pass
      ? {}
      : ({ holdReason: 'ROUTE_INELIGIBLE', exceptionType: 'ROUTE_INELIGIBLE' } as const)),
    ownerTeam: 'DISPATCH',
    inputs: { ...lane.inputs, ...vehicles.inputs },
    reason,
    details: [],
    ...(planned ? { plannedDeparture: planned } : {}),
  };
}
