import type { Tx } from '../../db/client';
import { decimal, sum, toStorage } from '../../lib/money';
import { toBaseQuantity } from '../../lib/units';
import type { EventOf } from '../events/schema';

// ORDER_RELEASED creates the order, its lines, and the shipment that carries them (one shipment
// per order in this version). References that match nothing are named, so that the event can be
// parked as an orphan saying exactly what is missing instead of being dropped.

type Release = EventOf<'ORDER_RELEASED'>;

export type ReleaseResult = { ok: true; shipmentId: string } | { ok: false; unmatched: string[] };

interface Resolved {
  siteId: string;
  customerId: string;
  shipToId: string;
  skus: Map<
    string,
    {
      id: string;
      baseUom: string;
      unNumber: string | null;
      units: { uomCode: string; factor: string }[];
    }
  >;
}

async function resolveReferences(tx: Tx, event: Release): Promise<Resolved | string[]> {
  const p = event.payload;
  // One after another: a transaction is one connection, which runs one query at a time.
  const site = await tx.site.findUnique({ where: { code: event.site }, select: { id: true } });
  const customer = await tx.customer.findUnique({
    where: { code: p.customerCode },
    select: { id: true },
  });
  const skus = await tx.sku.findMany({
    where: { code: { in: p.lines.map((l) => l.skuCode) } },
    select: {
      id: true,
      code: true,
      baseUom: true,
      unNumber: true,
      units: { select: { uomCode: true, factor: true } },
    },
  });
  const shipTo = customer
    ? await tx.customerLocation.findUnique({
        where: { customerId_code: { customerId: customer.id, code: p.shipToCode } },
        select: { id: true },
      })
    : null;
  const byCode = new Map(
    skus.map((s) => [
      s.code,
      { ...s, units: s.units.map((u) => ({ uomCode: u.uomCode, factor: u.factor.toString() })) },
    ]),
  );
  const unmatched = [
    ...(site ? [] : [`site ${event.site}`]),
    ...(customer ? [] : [`customer ${p.customerCode}`]),
    ...(customer && !shipTo ? [`ship-to ${p.shipToCode} of customer ${p.customerCode}`] : []),
    ...p.lines.filter((l) => !byCode.has(l.skuCode)).map((l) => `SKU ${l.skuCode}`),
  ];
  if (unmatched.length > 0 || !site || !customer || !shipTo) return unmatched;

  return { siteId: site.id, customerId: customer.id, shipToId: shipTo.id, skus: byCode };
}

export async function releaseOrder(tx: Tx, event: Release): Promise<ReleaseResult> {
  const resolved = await resolveReferences(tx, event);
  if (Array.isArray(resolved)) return { ok: false, unmatched: resolved };
  const lines = baseLines(event, resolved);
  if (!lines.ok) return { ok: false, unmatched: lines.unmatched };

  const orderRef = event.orderRef ?? event.shipmentRef!;
  const releasedAt = new Date(event.occurredAt);
  const order = await tx.order.create({
    data: {
      ref: orderRef,
      customerId: resolved.customerId,
      shipToId: resolved.shipToId,
      siteId: resolved.siteId,
      poNumber: event.payload.poNumber ?? null,
      currency: event.payload.currency,
      requestedAt: event.payload.requestedDate ? new Date(event.payload.requestedDate) : null,
      releasedAt,
      lines: { create: lines.rows.map((l) => l.orderLine) },
    },
    select: { id: true, lines: { select: { id: true, lineNo: true } } },
  });
  const lineIds = new Map(order.lines.map((l) => [l.lineNo, l.id]));
  const shipment = await tx.shipment.create({
    data: {
      ref: event.shipmentRef ?? orderRef,
      orderId: order.id,
      siteId: resolved.siteId,
      customerId: resolved.customerId,
      shipToId: resolved.shipToId,
      currency: event.payload.currency,
      releasedAt,
      dangerousGoods: lines.rows.some((l) => l.dangerous),
      goodsValue: toStorage(sum(lines.rows.map((l) => l.value))),
      lines: {
        create: lines.rows.map((l) => ({
          orderLineId: lineIds.get(l.orderLine.lineNo)!,
          orderedQty: l.baseQty,
        })),
      },
    },
    select: { id: true },
  });

  return { ok: true, shipmentId: shipment.id };
}

function baseLines(event: Release, resolved: Resolved) {
  const unmatched: string[] = [];
  const rows = event.payload.lines.flatMap((line) => {
    const sku = resolved.skus.get(line.skuCode)!;
    const base = toBaseQuantity(decimal(line.quantity), line.uom, sku.units, sku.baseUom);
    if (!base.ok) {
      unmatched.push(`unit ${line.uom} of SKU ${line.skuCode}`);

      return [];
    }
    const quantity = decimal(line.quantity);

    return [
      {
        orderLine: {
          lineNo: line.lineNo,
          skuId: sku.id,
          quantity: toStorage(quantity),
          uomCode: line.uom,
          unitPrice: toStorage(line.unitPrice),
        },
        baseQty: toStorage(base.quantity),
        value: quantity.mul(decimal(line.unitPrice)),
        dangerous: sku.unNumber !== null,
      },
    ];
  });

  return unmatched.length > 0 ? ({ ok: false, unmatched } as const) : ({ ok: true, rows } as const);
}
