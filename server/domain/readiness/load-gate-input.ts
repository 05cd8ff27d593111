import type { Tx } from '../../db/client';
import { decimal, sum } from '../../lib/money';
import { estimateFreight } from '../billing/rating';
import { loadContracts } from '../billing/load-rating-input';
import { matchZones } from './route-check';
import type { GateExposure, GateInput, GateLine, GateSettings } from './types';

// Reads everything one gate run needs, in one transaction, into the plain GateInput the pure
// checks take. The customer's credit lock is taken just before the exposure is read and held to
// the decision's commit, so the same headroom cannot be spent twice by two shipments at once.

export const DEFAULT_SETTINGS = { quantityTolerance: { fraction: '0.02', absolute: '0' } };

async function loadShipment(tx: Tx, shipmentId: string) {
  return tx.shipment.findUniqueOrThrow({
    where: { id: shipmentId },
    include: {
      site: { select: { id: true, timeZone: true } },
      customer: true,
      shipTo: { select: { postalCode: true, country: true } },
      documents: { where: { voidedAt: null } },
      lines: { include: { orderLine: { include: { sku: { include: { units: true } } } } } },
    },
  });
}

type LoadedShipment = Awaited<ReturnType<typeof loadShipment>>;

function gateLines(shipment: LoadedShipment, pickedLineIds: Set<string>): GateLine[] {
  return shipment.lines.map((l) => {
    const sku = l.orderLine.sku;

    return {
      orderLineId: l.orderLineId,
      sku: {
        code: sku.code,
        baseUom: sku.baseUom,
        unNumber: sku.unNumber,
        hazardClass: sku.hazardClass,
        units: sku.units.map((u) => ({ uomCode: u.uomCode, factor: u.factor })),
        weightKg: decimal(sku.weightKg),
        volumeM3: decimal(sku.volumeM3),
      },
      orderedQty: decimal(l.orderLine.quantity),
      orderedUom: l.orderLine.uomCode,
      pickedQty: decimal(l.pickedQty),
      lot: l.lot,
      location: l.location,
      confirmed: pickedLineIds.has(l.orderLineId),
      qcFailed: l.qcFailed,
    };
  });
}

async function loadSettings(tx: Tx): Promise<GateSettings> {
  const row = await tx.setting.findUnique({ where: { key: 'gate.quantityTolerance' } });
  const value = (row?.value ?? DEFAULT_SETTINGS.quantityTolerance) as {
    fraction: string;
    absolute: string;
  };

  return {
    quantityTolerance: { fraction: decimal(value.fraction), absolute: decimal(value.absolute) },
  };
}

/** Released invoices not yet paid, plus goods that left or are READY and not yet invoiced. */
async function loadExposure(
  tx: Tx,
  shipment: LoadedShipment,
  thisShipment: ReturnType<typeof decimal>,
): Promise<GateExposure> {
  const [unpaid] = await tx.$queryRaw<{ amount: string | null }[]>`
    SELECT sum(i.total - coalesce(p.paid, 0))::text AS amount
    FROM invoices i
    LEFT JOIN (SELECT invoice_id, sum(amount) AS paid FROM payments GROUP BY invoice_id) p ON p.invoice_id = i.id
    WHERE i.customer_id = ${shipment.customerId}::uuid AND i.status = 'RELEASED'`;
  const [open] = await tx.$queryRaw<{ amount: string | null }[]>`
    SELECT (coalesce(sum(s.goods_value), 0) + coalesce(sum(c.charged), 0))::text AS amount
    FROM shipments s
    LEFT JOIN (SELECT shipment_id, sum(amount) AS charged FROM charges WHERE voided_at IS NULL AND invoice_id IS NULL
               GROUP BY shipment_id) c ON c.shipment_id = s.id
    WHERE s.customer_id = ${shipment.customerId}::uuid AND s.id <> ${shipment.id}::uuid
      AND s.invoiced_at IS NULL AND s.cancelled_at IS NULL
      AND (s.readiness = 'READY' OR s.departed_at IS NOT NULL)`;

  return {
    currency: shipment.customer.currency,
    releasedUnpaid: decimal(unpaid?.amount ?? '0'),
    shippedOrReadyNotInvoiced: decimal(open?.amount ?? '0'),
    thisShipment,
  };
}

/**
 * Two shipments of one customer must not both pass on the same credit headroom: the customer's
 * lock is taken here, as late as it can be, and held until the decision commits.
 */
async function lockedExposure(
  tx: Tx,
  shipment: LoadedShipment,
  thisShipment: ReturnType<typeof decimal>,
) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`credit:${shipment.customerId}`}, 0))`;

  return loadExposure(tx, shipment, thisShipment);
}

export async function loadGateInput(
  tx: Tx,
  shipmentId: string,
  pickedLineIds: Set<string>,
): Promise<GateInput> {
  const shipment = await loadShipment(tx, shipmentId);
  // One after another: a transaction is one connection, which runs one query at a time.
  const zones = await tx.deliveryZone.findMany({ where: { country: shipment.shipTo.country } });
  const routes = await tx.route.findMany({
    where: { siteId: shipment.siteId, active: true },
    include: { zones: true, departures: true },
  });
  const vehicles = await tx.vehicle.findMany({ where: { siteId: shipment.siteId, active: true } });
  const settings = await loadSettings(tx);
  const contracts = await loadContracts(tx, shipment.customerId);
  const lines = gateLines(shipment, pickedLineIds);
  const weightKg = shipment.weightKg
    ? decimal(shipment.weightKg)
    : sum(lines.map((l) => l.pickedQty.mul(l.sku.weightKg)));
  const volumeM3 = shipment.volumeM3
    ? decimal(shipment.volumeM3)
    : sum(lines.map((l) => l.pickedQty.mul(l.sku.volumeM3)));
  const zone = matchZones(shipment.shipTo, zones)[0];
  const freight = zone
    ? estimateFreight(contracts, {
        originSiteId: shipment.siteId,
        zoneId: zone.id,
        shipDate: shipment.packedStagedAt ?? new Date(),
        weightKg,
        volumeM3,
        handlingUnits: shipment.handlingUnits,
        dangerousGoods: shipment.dangerousGoods,
      })
    : null;
  const goodsValue = decimal(shipment.goodsValue ?? '0');
  const thisShipment = freight?.ok ? goodsValue.plus(freight.amount) : goodsValue;

  return {
    shipment: {
      id: shipment.id,
      stagedAt: shipment.packedStagedAt!,
      dangerousGoods: shipment.dangerousGoods,
      weightKg: shipment.weightKg ? weightKg : null,
      volumeM3: shipment.volumeM3 ? volumeM3 : null,
      goodsValue,
      currency: shipment.currency,
    },
    lines,
    customer: {
      id: shipment.customerId,
      allowsPartial: shipment.customer.allowsPartial,
      creditLimit: decimal(shipment.customer.creditLimit),
      creditBlocked: shipment.customer.creditBlocked,
      currency: shipment.customer.currency,
    },
    exposure: await lockedExposure(tx, shipment, thisShipment),
    documents: shipment.documents.map((d) => ({
      kind: d.kind,
      orderLineId: d.orderLineId,
      voidedAt: d.voidedAt,
    })),
    shipTo: shipment.shipTo,
    zones,
    site: shipment.site,
    routes: routes.map((r) => ({
      id: r.id,
      code: r.code,
      zoneIds: r.zones.map((z) => z.zoneId),
      departures: r.departures,
    })),
    vehicles: vehicles.map((v) => ({
      id: v.id,
      code: v.code,
      maxWeightKg: decimal(v.maxWeightKg),
      maxVolumeM3: decimal(v.maxVolumeM3),
      dgClasses: v.dgClasses,
    })),
    settings,
  };
}
