import { z } from 'zod';

import type { Db } from '../../../db/client';
import type { Prisma } from '../../../db/generated/client';
import type { SiteScope } from '../../users/site-scope';

// The carrier invoices list of the billing workspace, newest first, with a keyset cursor so that
// a long history pages without OFFSET. An unmatched invoice has no shipment and so no site: every
// billing user sees those, since matching them is the work; a matched one is seen at its site.

export const carrierInvoiceFilterSchema = z.strictObject({
  match: z.enum(['MATCHED', 'UNMATCHED']).optional(),
  carrierScac: z.string().trim().min(1).max(8).optional(),
  /** Invoice number or any shipment reference it carries, partly typed. */
  search: z.string().trim().min(1).max(64).optional(),
  receivedFrom: z.coerce.date().optional(),
  receivedTo: z.coerce.date().optional(),
  shipmentId: z.uuid().optional(),
  limit: z.number().int().min(1).max(200).default(50),
  /** The id of the last invoice of the previous page. */
  cursor: z.uuid().optional(),
});

export type CarrierInvoiceFilter = z.input<typeof carrierInvoiceFilterSchema>;

function whereOf(filter: z.output<typeof carrierInvoiceFilterSchema>, scope?: SiteScope) {
  const and: Prisma.CarrierInvoiceWhereInput[] = [];
  if (filter.match) and.push({ match: filter.match });
  if (filter.carrierScac) and.push({ carrierScac: filter.carrierScac.toUpperCase() });
  if (filter.shipmentId) and.push({ shipmentId: filter.shipmentId });
  if (filter.receivedFrom) and.push({ receivedAt: { gte: filter.receivedFrom } });
  if (filter.receivedTo) and.push({ receivedAt: { lt: filter.receivedTo } });
  if (filter.search) {
    and.push({
      OR: [
        { invoiceNumber: { contains: filter.search, mode: 'insensitive' } },
        { shipmentRefs: { has: filter.search } },
      ],
    });
  }
  if (scope && !scope.allSites) {
    and.push({ OR: [{ shipmentId: null }, { shipment: { siteId: { in: scope.siteIds } } }] });
  }

  return { AND: and };
}

export async function listCarrierInvoices(db: Db, raw: CarrierInvoiceFilter, scope?: SiteScope) {
  const filter = carrierInvoiceFilterSchema.parse(raw);
  const rows = await db.carrierInvoice.findMany({
    where: whereOf(filter, scope),
    orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
    take: filter.limit + 1,
    ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 1 } : {}),
    select: {
      id: true,
      carrierScac: true,
      invoiceNumber: true,
      invoiceDate: true,
      currency: true,
      total: true,
      netAmountDue: true,
      shipmentRefs: true,
      match: true,
      unmatchedReason: true,
      warnings: true,
      receivedAt: true,
      documentId: true,
      carrier: { select: { code: true, name: true } },
      shipment: { select: { ref: true, site: { select: { code: true, timeZone: true } } } },
      _count: { select: { charges: true } },
    },
  });
  const page = rows.slice(0, filter.limit);

  return {
    items: page.map(({ _count, total, netAmountDue, warnings, ...row }) => ({
      ...row,
      total: total.toString(),
      netAmountDue: netAmountDue?.toString() ?? null,
      warnings: Array.isArray(warnings) ? (warnings as { code: string; message: string }[]) : [],
      chargeCount: _count.charges,
    })),
    nextCursor: rows.length > filter.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/** One invoice with its charge lines, as the billing workspace and the shipment page show it. */
export async function carrierInvoicesOfShipment(db: Db, shipmentId: string) {
  const rows = await db.carrierInvoice.findMany({
    where: { shipmentId },
    orderBy: { receivedAt: 'asc' },
    include: {
      charges: { orderBy: { position: 'asc' } },
      carrier: { select: { code: true, name: true } },
    },
  });

  return rows.map((row) => ({
    id: row.id,
    carrierScac: row.carrierScac,
    carrier: row.carrier,
    invoiceNumber: row.invoiceNumber,
    invoiceDate: row.invoiceDate,
    currency: row.currency,
    total: row.total.toString(),
    receivedAt: row.receivedAt,
    charges: row.charges.map((c) => ({
      position: c.position,
      code: c.code,
      description: c.description,
      amount: c.amount.toString(),
    })),
  }));
}

/** The carrier's answers to tenders for the shipment, latest first: the first one stands. */
export async function tenderResponsesOfShipment(db: Db, shipmentId: string) {
  return db.tenderResponse.findMany({
    where: { shipmentId },
    orderBy: { receivedAt: 'desc' },
    select: {
      id: true,
      carrierScac: true,
      decision: true,
      reason: true,
      respondedOn: true,
      receivedAt: true,
    },
  });
}
