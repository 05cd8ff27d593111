import type { Db } from '../../db/client';
import type { ShipmentStatus } from '../../db/generated/enums';
import { shipmentStory } from '../../domain/shipments/shipment-story';
import { siteFilter, type SiteScope } from '../../domain/users/site-scope';

// Shipment reads for the shell's pages (counts, search, the shipment page). They belong in
// server/domain/shipments/reads.ts, which has no owner yet; move them there when it does.

export async function shipmentStatusCounts(db: Db, scope: SiteScope) {
  const rows = await db.shipment.groupBy({
    by: ['status'],
    where: siteFilter(scope),
    _count: { _all: true },
  });
  const counts = new Map<ShipmentStatus, number>(rows.map((r) => [r.status, r._count._all]));

  return { counts: Object.fromEntries(counts) as Partial<Record<ShipmentStatus, number>> };
}

const SEARCH_LIMIT = 50;

/**
 * Shipments at the user's sites whose shipment ref, order ref, PO number or tracking ref is the
 * query (as typed or upper-cased), or whose shipment or order ref starts with it.
 */
export async function searchShipments(db: Db, scope: SiteScope, query: string) {
  const q = query.trim();
  const exact = { in: [...new Set([q, q.toUpperCase()])] };
  // Prefix matches read the btree indexes only under the C collation; at the demo's volumes a
  // scan is fine, beyond it the refs need text_pattern_ops indexes.
  const prefix = { startsWith: q.toUpperCase() };

  return db.shipment.findMany({
    where: {
      ...siteFilter(scope),
      OR: [
        { ref: exact },
        { trackingRef: exact },
        { order: { ref: exact } },
        { order: { poNumber: exact } },
        { ref: prefix },
        { order: { ref: prefix } },
      ],
    },
    orderBy: { updatedAt: 'desc' },
    take: SEARCH_LIMIT,
    select: {
      ref: true,
      status: true,
      readiness: true,
      trackingRef: true,
      updatedAt: true,
      site: { select: { code: true } },
      customer: { select: { name: true } },
      order: { select: { ref: true, poNumber: true } },
    },
  });
}

export async function shipmentByRef(db: Db, scope: SiteScope, ref: string) {
  return db.shipment.findFirst({
    where: { ref, ...siteFilter(scope) },
    include: {
      site: { select: { code: true, name: true, timeZone: true } },
      customer: { select: { code: true, name: true } },
      shipTo: { select: { name: true, city: true, country: true } },
      order: { select: { ref: true, poNumber: true } },
      holds: {
        orderBy: { placedAt: 'desc' },
        select: { id: true, reason: true, detail: true, placedAt: true, releasedAt: true },
      },
    },
  });
}

/** The shipment page's story (timeline, decisions, exceptions, branches) of a shipment in scope. */
export async function shipmentStoryByRef(db: Db, scope: SiteScope, ref: string) {
  const shipment = await db.shipment.findFirst({
    where: { ref, ...siteFilter(scope) },
    select: { id: true, site: { select: { timeZone: true } } },
  });
  if (!shipment) return null;

  return { timeZone: shipment.site.timeZone, ...(await shipmentStory(db, shipment.id)) };
}
