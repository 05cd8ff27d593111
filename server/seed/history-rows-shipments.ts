import type { Prisma } from '../db/generated/client';
import type { OrderStatus, Readiness, ShipmentStatus } from '../db/generated/enums';
import { payloadHash } from '../domain/events/canonical-json';
import type { CanonicalEvent } from '../domain/events/schema';
import { deriveStatus } from '../domain/shipments/shipment-status';
import { SEED_RULE_VERSION } from './history-gate';
import type { SimOrphan } from './history-orphans';
import type { SimEvent, SimShipment } from './history-types';
import { fixed } from './numbers';
import type { Rng } from './rng';
import type { RowSet } from './rows';
import type { PartnerInfo } from './types';

// Rows of orders, shipments, their lines, the canonical event log, readiness decisions, holds
// and documents, from the simulated shipments.

function openHold(s: SimShipment): boolean {
  return s.holds.some((h) => h.releasedAt === undefined);
}

const at = (ms: number | undefined) => (ms === undefined ? null : new Date(ms));

/** The status as the product derives it from milestones and readiness. */
export function statusOf(s: SimShipment): ShipmentStatus {
  const t = s.t;

  return deriveStatus({
    readiness: readinessOf(s),
    pickedAt: at(t.picked),
    packedStagedAt: at(t.staged),
    slottedAt: at(t.slotted),
    loadedAt: at(t.loaded),
    departedAt: at(t.departed),
    arrivedAt: null,
    deliveredAt: at(t.delivered),
    podReceivedAt: at(t.pod),
    invoicedAt: at(t.invoiced),
    cancelledAt: at(t.cancelled),
  });
}

function readinessOf(s: SimShipment): Readiness {
  if (openHold(s)) return 'HELD';

  return s.t.ready !== undefined ? 'READY' : 'PENDING';
}

function orderStatusOf(s: SimShipment): OrderStatus {
  if (s.t.cancelled !== undefined) return 'CANCELLED';
  if (s.t.departed !== undefined) return 'SHIPPED';

  return s.t.picked !== undefined ? 'IN_PROGRESS' : 'RELEASED';
}

function lastActivity(s: SimShipment): Date {
  return new Date(Math.max(s.t.released, ...s.events.map((e) => e.at)));
}

function orderRow(s: SimShipment, updatedAt: Date): Prisma.OrderCreateManyInput {
  const releasedAt = new Date(s.t.released);

  return {
    id: s.orderId,
    ref: s.orderRef,
    customerId: s.customer.id,
    shipToId: s.location.id,
    siteId: s.site.id,
    poNumber: s.poNumber,
    status: orderStatusOf(s),
    currency: s.currency,
    requestedAt: new Date(s.requestedAt),
    releasedAt,
    createdAt: releasedAt,
    updatedAt,
  };
}

function orderLineRows(s: SimShipment): Prisma.OrderLineCreateManyInput[] {
  return s.lines.map((l) => ({
    id: l.orderLineId,
    orderId: s.orderId,
    lineNo: l.lineNo,
    skuId: l.sku.id,
    quantity: fixed(l.qty, 4),
    uomCode: l.uom,
    unitPrice: l.unitPrice,
  }));
}

function shipmentRow(s: SimShipment, updatedAt: Date): Prisma.ShipmentCreateManyInput {
  const staged = s.t.staged !== undefined;

  return {
    id: s.id,
    ref: s.ref,
    orderId: s.orderId,
    siteId: s.site.id,
    customerId: s.customer.id,
    shipToId: s.location.id,
    status: statusOf(s),
    readiness: readinessOf(s),
    trackingRef: s.trackingRef ?? null,
    dangerousGoods: s.dangerousGoods,
    handlingUnits: staged ? s.handlingUnits : null,
    weightKg: staged ? fixed(s.weightKg, 3) : null,
    volumeM3: staged ? fixed(s.volumeM3, 4) : null,
    stagedDock: s.stagedDock ?? null,
    goodsValue: s.goodsValue,
    currency: s.currency,
    plannedTripId: s.plannedTrip?.id ?? null,
    releasedAt: new Date(s.t.released),
    pickedAt: at(s.t.picked),
    qcAt: at(s.t.qc),
    packedStagedAt: at(s.t.staged),
    readyAt: at(s.t.ready),
    // As the gate keeps it: the time of the hold while it stands, cleared once ready.
    heldAt: openHold(s) ? at(s.t.held) : null,
    slottedAt: at(s.t.slotted),
    loadedAt: at(s.t.loaded),
    departedAt: at(s.t.departed),
    deliveredAt: at(s.t.delivered),
    podReceivedAt: at(s.t.pod),
    invoicedAt: at(s.t.invoiced),
    cancelledAt: at(s.t.cancelled),
    createdAt: new Date(s.t.released),
    updatedAt,
  };
}

function shipmentLineRows(s: SimShipment, updatedAt: Date): Prisma.ShipmentLineCreateManyInput[] {
  const picked = s.t.picked !== undefined;

  return s.lines.map((l) => ({
    id: l.shipmentLineId,
    shipmentId: s.id,
    orderLineId: l.orderLineId,
    orderedQty: fixed(l.orderedBase, 4),
    pickedQty: fixed(picked ? l.pickedBase : 0, 4),
    deliveredQty: l.deliveredBase === undefined ? null : fixed(l.deliveredBase, 4),
    lot: picked ? l.lot : null,
    location: picked ? l.location : null,
    updatedAt,
  }));
}

export interface EventWriter {
  rng: Rng;
  now: number;
  partners: PartnerInfo;
}

/**
 * One event as intake stores it: the canonical event (envelope and payload) in `payload`, and
 * the product's payload hash, so that a replay or a resend treats it like any other.
 */
function eventRow(
  w: EventWriter,
  e: SimEvent,
  eventId: string,
  refs: { site: string; orderRef?: string; shipmentRef: string },
  shipmentId: string | null,
): Prisma.ShipmentEventCreateManyInput {
  const payload = {
    eventId,
    type: e.type,
    occurredAt: new Date(e.at).toISOString(),
    ...refs,
    payload: e.data,
  };

  return {
    id: e.id,
    partnerId: w.partners.simulatorId,
    eventId,
    type: e.type,
    source: 'SEED',
    occurredAt: new Date(e.at),
    receivedAt: new Date(Math.min(w.now, e.at + w.rng.int(1, 45) * 1_000)),
    shipmentId,
    orderRef: refs.orderRef ?? null,
    shipmentRef: refs.shipmentRef,
    payload: payload as Prisma.InputJsonValue,
    payloadHash: payloadHash(payload as unknown as CanonicalEvent),
    disposition: shipmentId === null ? 'ORPHANED' : 'APPLIED',
  };
}

function eventRows(
  w: EventWriter,
  shipments: SimShipment[],
  orphans: SimOrphan[],
): Prisma.ShipmentEventCreateManyInput[] {
  const rows: Prisma.ShipmentEventCreateManyInput[] = [];
  for (const s of shipments) {
    const refs = { site: s.site.code, orderRef: s.orderRef, shipmentRef: s.ref };
    const events = [...s.events].sort((a, b) => a.at - b.at);
    events.forEach((e, i) =>
      rows.push(eventRow(w, e, `seed-${s.ref}-${String(i + 1).padStart(2, '0')}`, refs, s.id)),
    );
  }
  for (const o of orphans)
    rows.push(
      eventRow(
        w,
        o.event,
        `seed-orphan-${o.event.id}`,
        { site: o.site.code, shipmentRef: o.shipmentRef },
        null,
      ),
    );

  return rows;
}

function decisionRows(s: SimShipment): Prisma.ReadinessDecisionCreateManyInput[] {
  return s.decisions.map((d) => ({
    id: d.id,
    shipmentId: s.id,
    outcome: d.outcome,
    checks: d.checks as Prisma.InputJsonValue,
    ruleVersion: SEED_RULE_VERSION,
    trigger: d.trigger,
    decidedAt: new Date(d.at),
  }));
}

function holdRows(s: SimShipment): Prisma.HoldCreateManyInput[] {
  return s.holds.map((h) => ({
    id: h.id,
    shipmentId: s.id,
    reason: h.reason,
    detail: h.detail,
    decisionId: h.decisionId,
    placedAt: new Date(h.placedAt),
    releasedAt: at(h.releasedAt),
    releasedById: h.releasedAt === undefined ? null : (h.releasedById ?? null),
  }));
}

function documentRows(s: SimShipment): Prisma.ShipmentDocumentCreateManyInput[] {
  return s.documents.map((d) => ({
    id: d.id,
    shipmentId: s.id,
    kind: d.kind,
    reference: d.reference,
    uri: d.uri,
    orderLineId: d.orderLineId ?? null,
    eventId: d.eventId,
    receivedAt: new Date(d.at),
  }));
}

/**
 * Registers the tables in foreign-key order (orders and lines, then shipments and below); each
 * is built when its turn to be written comes.
 */
export function addShipmentRows(
  rows: RowSet,
  w: EventWriter,
  shipments: SimShipment[],
  orphans: SimOrphan[],
): void {
  const stamps = new Map(shipments.map((s) => [s.id, lastActivity(s)]));
  const stamp = (s: SimShipment) => stamps.get(s.id) as Date;
  rows.defer('orders', () => shipments.map((s) => orderRow(s, stamp(s))));
  rows.defer('order_lines', () => shipments.flatMap(orderLineRows));
  rows.defer('shipments', () => shipments.map((s) => shipmentRow(s, stamp(s))));
  rows.defer('shipment_lines', () => shipments.flatMap((s) => shipmentLineRows(s, stamp(s))));
  rows.defer('shipment_events', () => eventRows(w, shipments, orphans));
  rows.defer('readiness_decisions', () => shipments.flatMap(decisionRows));
  rows.defer('holds', () => shipments.flatMap(holdRows));
  rows.defer('shipment_documents', () => shipments.flatMap(documentRows));
}
