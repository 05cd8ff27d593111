import { expect } from 'vitest';
import type { Db } from '../../server/db/client';
import { firstBrokenLink } from '../../server/domain/audit/audit-hash';
import { createWorld, type World, type WorldOptions } from '../fixtures/world';

// Twin worlds for comparing a branch made together with the same branch made one shipment at a
// time: two worlds built alike (day 0, time zone, fleet, doors, contract), each with its own
// ids and codes, and what the branches leave in each told with those replaced by labels the
// twins share (`vehicle0`, `door1`, `shipment3`, `trip:2027-01-04`, codes with `*` for the
// world's suffix), so that the two are compared with toEqual.

const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

export async function twinWorlds(db: Db, options: WorldOptions = {}): Promise<[World, World]> {
  return [await createWorld(db, options), await createWorld(db, options)];
}

/** Replaces a world's ids by shared labels (within text too), any other uuid by `<uuid>`, its
 * suffix by `*`. */
export type Labels = <T>(value: T) => unknown;

export async function labelsOf(db: Db, worlds: World[], shipmentIds: string[]): Promise<Labels> {
  const labels = new Map<string, string>();
  for (const [w, world] of worlds.entries()) {
    world.vehicleIds.forEach((id, i) => labels.set(id, `w${w}:vehicle${i}`));
    world.dockDoorIds.forEach((id, i) => labels.set(id, `w${w}:door${i}`));
    labels.set(world.siteId, `w${w}:site`);
    labels.set(world.customerId, `w${w}:customer`);
    labels.set(world.contractId, `w${w}:contract`);
    labels.set(world.zoneId, `w${w}:zone`);
    const trips = await db.trip.findMany({ where: { departure: { routeId: world.routeId } } });
    for (const t of trips) labels.set(t.id, `w${w}:trip:${t.departsAt.toISOString()}`);
  }
  shipmentIds.forEach((id, i) => labels.set(id, `shipment${i}`));
  const suffixes = worlds.map((w) => w.suffix);
  const label = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const named = value.replace(UUIDS, (id) => labels.get(id.toLowerCase()) ?? '<uuid>');

      return suffixes.reduce((s, suffix) => s.split(suffix).join('*'), named);
    }
    if (value instanceof Date) return value.toISOString();
    if (Array.isArray(value)) return value.map(label);
    if (value !== null && typeof value === 'object' && 'toFixed' in value) return String(value);
    if (value !== null && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, label(v)]));

    return value;
  };

  return label as Labels;
}

/** A shipment's audit chain as its actions and data, after checking that the chain is whole. */
export async function auditChainOf(db: Db, shipmentId: string) {
  const rows = await db.auditLog.findMany({
    where: { entityType: 'Shipment', entityId: shipmentId },
    orderBy: { seq: 'asc' },
  });
  expect(firstBrokenLink(rows)).toBeNull();

  return rows.map((r) => ({ action: r.action, data: r.data }));
}

/** The exceptions a shipment has had, oldest first, as the team sees them. */
export async function exceptionsOf(db: Db, shipmentId: string) {
  const rows = await db.exception.findMany({
    where: { shipmentId },
    orderBy: [{ openedAt: 'asc' }, { type: 'asc' }],
  });

  return rows.map((e) => ({
    type: e.type,
    status: e.status,
    ownerTeam: e.ownerTeam,
    resolutionCode: e.resolutionCode,
    title: e.title,
    detail: e.detail,
  }));
}
