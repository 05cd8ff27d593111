import type { Db } from '../../db/client';
import { siteFilter, type SiteScope } from '../../domain/users/site-scope';
import { decimal } from '../../lib/money';
import { openExceptions } from './exception-reads';

// The billing analyst's board: shipments billing pre-validation has rated (live charge lines no
// invoice holds yet), with their totals, and the open exceptions billing owns.

const SHIPMENT_LIMIT = 100;

/** The most recently rated shipments at the user's sites, one total per currency. */
async function ratedShipments(db: Db, scope: SiteScope) {
  const totals = await db.charge.groupBy({
    by: ['shipmentId', 'currency'],
    where: { voidedAt: null, invoiceId: null, shipment: siteFilter(scope) },
    _sum: { amount: true },
    _count: { _all: true },
    _max: { createdAt: true },
    orderBy: { _max: { createdAt: 'desc' } },
    take: SHIPMENT_LIMIT,
  });
  const shipments = await db.shipment.findMany({
    where: { id: { in: totals.map((t) => t.shipmentId) } },
    select: {
      id: true,
      ref: true,
      status: true,
      site: { select: { code: true, timeZone: true } },
      customer: { select: { name: true } },
    },
  });
  const byId = new Map(shipments.map((s) => [s.id, s]));

  return totals.flatMap((t) => {
    const shipment = byId.get(t.shipmentId);
    if (!shipment) return [];

    return [
      {
        ...shipment,
        currency: t.currency,
        total: decimal(t._sum.amount ?? '0'),
        lines: t._count._all,
        ratedAt: t._max.createdAt,
      },
    ];
  });
}

export async function billingBoard(db: Db, scope: SiteScope) {
  const [rated, exceptions] = await Promise.all([
    ratedShipments(db, scope),
    openExceptions(db, scope, ['NO_RATE', 'CREDIT_HOLD']),
  ]);

  return { rated, exceptions, asOf: new Date() };
}
