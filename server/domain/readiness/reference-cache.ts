import type { Tx } from '../../db/client';
import { sql } from '../../db/generated/internal/prismaNamespace';
import { decimal } from '../../lib/money';
import { loadContracts } from '../billing/load-rating-input';
import type { RatingContract } from '../billing/rating';
import type { GateRoute, GateVehicle, GateZone } from './types';

// The gate's reference data (delivery zones of a country, a site's routes with their zones and
// departures and its vehicles, a customer's contracts with their rate cards), kept per process.
// Every apply reads a fingerprint of each part in the statement that loads the shipment (a count
// and a sum of row hashes, computed by PostgreSQL): a part whose fingerprint is unchanged is
// served from memory, any change (in any process, by any means) is seen by the next decision.
// Nothing goes stale on a timer, and a part is never cached under another version than the one
// it was read at.

export interface ReferenceVersions {
  zones: string;
  routes: string;
  vehicles: string;
  contracts: string;
}

export interface ReferenceScope {
  siteId: string;
  customerId: string;
  country: string;
}

export interface ReferenceData {
  zones: (GateZone & Record<string, unknown>)[];
  routes: GateRoute[];
  vehicles: GateVehicle[];
  contracts: RatingContract[];
}

const MAX_ENTRIES = 5_000;

const cache = new Map<string, { version: string; value: unknown }>();

const fingerprint = (rows: ReturnType<typeof sql>) =>
  sql`(SELECT count(*)::text || ':' || coalesce(sum(h), 0)::text FROM (${rows}) AS fp)`;

/** The fingerprints, as one JSON value, for the shipment's site, customer and ship-to country. */
export function referenceVersionsSql(scope: ReferenceScope) {
  const site = sql`${scope.siteId}::uuid`;
  const customer = sql`${scope.customerId}::uuid`;
  const routes = sql`SELECT r.id FROM routes r WHERE r.site_id = ${site} AND r.active`;
  const contracts = sql`SELECT c.id FROM contracts c WHERE c.customer_id = ${customer}`;

  return sql`json_build_object(
    'zones', ${fingerprint(sql`SELECT hashtextextended(z::text, 0) AS h FROM delivery_zones z
      WHERE z.country = ${scope.country}`)},
    'routes', ${fingerprint(sql`
      SELECT hashtextextended(r::text, 0) AS h FROM routes r WHERE r.site_id = ${site} AND r.active
      UNION ALL SELECT hashtextextended(rz::text, 0) FROM route_zones rz WHERE rz.route_id IN (${routes})
      UNION ALL SELECT hashtextextended(rd::text, 0) FROM route_departures rd
        WHERE rd.route_id IN (${routes})`)},
    'vehicles', ${fingerprint(sql`SELECT hashtextextended(v::text, 0) AS h FROM vehicles v
      WHERE v.site_id = ${site} AND v.active`)},
    'contracts', ${fingerprint(sql`
      SELECT hashtextextended(c::text, 0) AS h FROM contracts c WHERE c.customer_id = ${customer}
      UNION ALL SELECT hashtextextended(cl::text, 0) FROM contract_lanes cl
        WHERE cl.contract_id IN (${contracts})
      UNION ALL SELECT hashtextextended(b::text, 0) FROM lane_rate_breaks b
        JOIN contract_lanes cl ON cl.id = b.lane_id WHERE cl.contract_id IN (${contracts})
      UNION ALL SELECT hashtextextended(a::text, 0) FROM accessorials a
        WHERE a.contract_id IN (${contracts})
      UNION ALL SELECT hashtextextended(ft::text, 0) FROM fuel_surcharge_tables ft
        WHERE ft.id IN (SELECT c.fuel_table_id FROM contracts c WHERE c.customer_id = ${customer})
      UNION ALL SELECT hashtextextended(fb::text, 0) FROM fuel_surcharge_bands fb
        WHERE fb.table_id IN (SELECT c.fuel_table_id FROM contracts c WHERE c.customer_id = ${customer})
      UNION ALL SELECT hashtextextended(t::text, 0) FROM tax_jurisdictions t
        WHERE t.id IN (SELECT c.tax_id FROM contracts c WHERE c.customer_id = ${customer})`)})`;
}

type Part = keyof ReferenceVersions;

const LOADERS: { [P in Part]: (tx: Tx, scope: ReferenceScope) => Promise<ReferenceData[P]> } = {
  zones: (tx, s) => tx.deliveryZone.findMany({ where: { country: s.country } }),
  routes: async (tx, s) => {
    const routes = await tx.route.findMany({
      where: { siteId: s.siteId, active: true },
      include: { zones: true, departures: true },
    });

    return routes.map((r) => ({
      id: r.id,
      code: r.code,
      zoneIds: r.zones.map((z) => z.zoneId),
      departures: r.departures,
    }));
  },
  vehicles: async (tx, s) => {
    const vehicles = await tx.vehicle.findMany({ where: { siteId: s.siteId, active: true } });

    return vehicles.map((v) => ({
      id: v.id,
      code: v.code,
      maxWeightKg: decimal(v.maxWeightKg),
      maxVolumeM3: decimal(v.maxVolumeM3),
      dgClasses: v.dgClasses,
    }));
  },
  contracts: (tx, s) => loadContracts(tx, s.customerId),
};

const keyOf = (part: Part, s: ReferenceScope) =>
  `${part}:${part === 'zones' ? s.country : part === 'contracts' ? s.customerId : s.siteId}`;

function remember(key: string, version: string, value: unknown) {
  cache.delete(key);
  cache.set(key, { version, value });
  // Oldest first: a Map iterates in insertion order, and a hit is not re-inserted.
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
}

/**
 * The reference data at `versions` (read in this transaction): parts whose version is cached
 * come from memory, the others are read now and cached only if their version did not move
 * while they were read.
 */
export async function referenceData(
  tx: Tx,
  scope: ReferenceScope,
  versions: ReferenceVersions,
): Promise<ReferenceData> {
  const parts = Object.keys(LOADERS) as Part[];
  const out: Partial<Record<Part, unknown>> = {};
  const missed: Part[] = [];
  for (const part of parts) {
    const hit = cache.get(keyOf(part, scope));
    if (hit && hit.version === versions[part]) out[part] = hit.value;
    else missed.push(part);
  }
  for (const part of missed) out[part] = await LOADERS[part](tx, scope);
  if (missed.length > 0) {
    const [after] = await tx.$queryRaw<{ versions: ReferenceVersions }[]>`
      SELECT ${referenceVersionsSql(scope)} AS versions`;
    for (const part of missed) {
      if (after?.versions[part] === versions[part])
        remember(keyOf(part, scope), versions[part], out[part]);
    }
  }

  return out as unknown as ReferenceData;
}

/** For tests: forget everything, as a fresh process would. */
export function clearReferenceCache(): void {
  cache.clear();
}
