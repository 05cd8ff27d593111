import { randomUUID } from 'node:crypto';
import type { Prisma } from '../db/generated/client';
import { toStorage } from '../lib/money';
import { fixed } from './numbers';
import type { Rng } from './rng';
import type { RowSet } from './rows';
import type { SiteShell } from './master-org';
import type {
  CarrierInfo,
  DepartureInfo,
  RouteInfo,
  SiteInfo,
  VehicleInfo,
  ZoneInfo,
} from './types';
import { ALL_DG_CLASSES } from './world-catalog';
import { CARRIER_SPECS, SITE_SPECS, type SiteSpec } from './world-sites';

// Carriers and their buy rates, delivery zones, routes with daily departures, dock doors and
// the fleet.

export interface NetworkContext {
  rng: Rng;
  rows: RowSet;
  now: Date;
  ratesValidFrom: Date;
}

const WEEKDAYS = [1, 2, 3, 4, 5];
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];

/** Local departure and cut-off minutes; routes of one site leave 15 minutes apart. */
function departureTimes(site: SiteSpec, routeIndex: number) {
  const o = routeIndex * 15;
  if (site.kind === 'CROSS_DOCK') {
    return [5, 10, 16, 22].map((h) => ({
      weekdays: EVERY_DAY,
      depart: h * 60 + o,
      cutoff: h * 60 + o - 75,
    }));
  }

  return [
    { weekdays: WEEKDAYS, depart: 10 * 60 + o, cutoff: 8 * 60 + 30 + o },
    { weekdays: WEEKDAYS, depart: 14 * 60 + 30 + o, cutoff: 13 * 60 + o },
    { weekdays: WEEKDAYS, depart: 19 * 60 + 30 + o, cutoff: 18 * 60 + o },
    { weekdays: [6], depart: 12 * 60 + 30 + o, cutoff: 11 * 60 + 30 + o },
  ];
}

const FLEET = [
  { kind: '53ft trailer', tag: 'T', weight: 19_000, volume: 85, dg: ALL_DG_CLASSES },
  { kind: '53ft trailer', tag: 'T', weight: 19_000, volume: 85, dg: ['3', '8'] },
  { kind: '26ft straight truck', tag: 'S', weight: 5_400, volume: 38, dg: ALL_DG_CLASSES },
  { kind: '26ft straight truck', tag: 'S', weight: 5_400, volume: 38, dg: ALL_DG_CLASSES },
  { kind: '16ft box truck', tag: 'B', weight: 3_000, volume: 22, dg: [] },
  { kind: 'Cargo van', tag: 'V', weight: 1_400, volume: 11, dg: [] },
];

export function buildCarriers(ctx: NetworkContext): CarrierInfo[] {
  return CARRIER_SPECS.map((spec) => {
    const id = randomUUID();
    ctx.rows.add<Prisma.CarrierCreateManyInput>('carriers', {
      id,
      code: spec.code,
      scac: spec.scac,
      name: spec.name,
    });

    return { id, code: spec.code, scac: spec.scac };
  });
}

function addZones(ctx: NetworkContext, spec: SiteSpec): ZoneInfo[] {
  return spec.zones.map((z) => {
    const id = randomUUID();
    ctx.rows.add<Prisma.DeliveryZoneCreateManyInput>('delivery_zones', {
      id,
      code: z.code,
      name: z.name,
      country: 'US',
      postalPrefixes: z.prefixes,
    });

    return {
      id,
      code: z.code,
      city: z.city,
      region: z.region,
      prefixes: z.prefixes,
      transitHours: z.transitHours,
    };
  });
}

function addRoute(
  ctx: NetworkContext,
  spec: SiteSpec,
  site: SiteShell,
  index: number,
  zones: ZoneInfo[],
  carrier: CarrierInfo,
): RouteInfo {
  const id = randomUUID();
  const code = `${spec.code}-R${index + 1}`;
  const name = `${spec.city} ${zones.map((z) => z.city).join(' / ')}`;
  ctx.rows.add<Prisma.RouteCreateManyInput>('routes', {
    id,
    code,
    name,
    siteId: site.id,
    carrierId: carrier.id,
  });
  for (const zone of zones)
    ctx.rows.add<Prisma.RouteZoneCreateManyInput>('route_zones', { routeId: id, zoneId: zone.id });
  const departures = departureTimes(spec, index).map((t): DepartureInfo => {
    const departure = {
      id: randomUUID(),
      routeId: id,
      weekdays: t.weekdays,
      departMinute: t.depart,
      cutoffMinute: t.cutoff,
    };
    ctx.rows.add<Prisma.RouteDepartureCreateManyInput>('route_departures', departure);

    return departure;
  });

  return { id, code, carrier, zones, departures };
}

function addCarrierLanes(
  ctx: NetworkContext,
  site: SiteShell,
  route: RouteInfo,
  backup: CarrierInfo,
): void {
  for (const zone of route.zones) {
    for (const carrier of [route.carrier, backup]) {
      const ratePerKg = (0.18 + zone.transitHours * 0.035) * ctx.rng.float(0.9, 1.15);
      ctx.rows.add<Prisma.CarrierRateLaneCreateManyInput>('carrier_rate_lanes', {
        id: randomUUID(),
        carrierId: carrier.id,
        originSiteId: site.id,
        zoneId: zone.id,
        currency: 'USD',
        ratePerKg: fixed(ratePerKg, 6),
        minimumCharge: toStorage(ctx.rng.int(35, 80)),
        settlementTolerance: ctx.rng.pick(['0.020000', '0.025000', '0.030000']),
        validFrom: ctx.ratesValidFrom,
      });
    }
  }
}

function addFleet(
  ctx: NetworkContext,
  spec: SiteSpec,
  site: SiteShell,
  carriers: CarrierInfo[],
): VehicleInfo[] {
  const fleet = spec.kind === 'CROSS_DOCK' ? FLEET.slice(0, 5) : FLEET;

  return fleet.map((f, i) => {
    const id = randomUUID();
    const code = `${spec.code}-${f.tag}${String(i + 1).padStart(2, '0')}`;
    // Trailers and straight trucks run under a carrier; box trucks and vans are our own fleet.
    const carrierId =
      f.tag === 'T' || f.tag === 'S' ? (carriers[i % carriers.length] as CarrierInfo).id : null;
    ctx.rows.add<Prisma.VehicleCreateManyInput>('vehicles', {
      id,
      code,
      siteId: site.id,
      carrierId,
      kind: f.kind,
      maxWeightKg: fixed(f.weight, 3),
      maxVolumeM3: fixed(f.volume, 4),
      dgClasses: f.dg,
    });

    return { id, code, maxWeightKg: f.weight, maxVolumeM3: f.volume, dgClasses: f.dg };
  });
}

function addDocks(ctx: NetworkContext, spec: SiteSpec, site: SiteShell) {
  return Array.from({ length: spec.dockDoors }, (_, i) => {
    const dock = { id: randomUUID(), code: `D${String(i + 1).padStart(2, '0')}` };
    ctx.rows.add<Prisma.DockDoorCreateManyInput>('dock_doors', { ...dock, siteId: site.id });

    return dock;
  });
}

function buildSiteNetwork(
  ctx: NetworkContext,
  spec: SiteSpec,
  site: SiteShell,
  carriers: CarrierInfo[],
): SiteInfo {
  const zones = addZones(ctx, spec);
  const byCode = new Map(zones.map((z) => [z.code, z]));
  const own = spec.carriers.map((code) => carriers.find((c) => c.code === code) as CarrierInfo);
  const routes = spec.routes.map((codes, i) => {
    const routeZones = codes.map((code) => byCode.get(code) as ZoneInfo);
    const carrier = own[i % 2] as CarrierInfo;
    const route = addRoute(ctx, spec, site, i, routeZones, carrier);
    addCarrierLanes(ctx, site, route, own[(i + 1) % 2] as CarrierInfo);

    return route;
  });
  const routeOfZone = new Map(
    routes.flatMap((r) => r.zones.map((z): [string, RouteInfo] => [z.id, r])),
  );
  const docks = addDocks(ctx, spec, site);
  const vehicles = addFleet(ctx, spec, site, own);

  return { ...site, zones, routes, routeOfZone, docks, vehicles };
}

export function buildNetwork(
  ctx: NetworkContext,
  shells: SiteShell[],
  carriers: CarrierInfo[],
): SiteInfo[] {
  return shells.map((shell) => {
    const spec = SITE_SPECS.find((s) => s.code === shell.code) as SiteSpec;

    return buildSiteNetwork(ctx, spec, shell, carriers);
  });
}
