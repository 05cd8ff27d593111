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

/**
 * The fingerprints, as one JSON value, for the shipment's site, customer and ship-to country: a
 * count and a sum of row hashes per part, by a function of the migrations
 * (gate_reference_versions), whose plans a connection makes once.
 */
export function referenceVersionsSql(scope: ReferenceScope) {
  return sql`gate_reference_versions(${scope.siteId}::uuid, ${scope.customerId}::uuid,
    ${scope.country})`;
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
