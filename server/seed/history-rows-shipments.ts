import { createHash } from 'node:crypto';
import type { Prisma } from '../db/generated/client';
import type { OrderStatus, Readiness, ShipmentStatus } from '../db/generated/enums';
import { canonicalJson } from '../domain/audit/canonical-json';
import type { SimOrphan } from './history-orphans';
import type { SimEvent, SimShipment } from './history-types';
import { fixed } from './money';
import type { Rng } from './rng';
import type { RowSet } from './rows';
import type { PartnerInfo } from './types';

// Rows of orders, shipments, their lines, the canonical event log, readiness decisions, holds
// and documents, from the simulated shipments.

export const SEED_RULE_VERSION = 'seed-1';

function openHold(s: SimShipment): boolean {
  return s.holds.some((h) => h.releasedAt === undefined);
}

export function statusOf(s: SimShipment): ShipmentStatus {
  const t = s.t;
  if (t.cancelled !== undefined) return 'CANCELLED';
  const reached: [number | undefined, ShipmentStatus][] = [
    [t.invoiced, 'INVOICED'],
    [t.pod, 'POD_RECEIVED'],
    [t.delivered, 'DELIVERED'],
    [t.departed, 'DEPARTED'],
    [t.loaded, 'LOADED'],
    [t.slotted, 'SLOTTED'],
  ];
  const last = reached.find(([at]) => at !== undefined);
  if (last) return last[1];
  if (openHold(s)) return 'HELD';
  if (t.ready !== undefined) return 'READY';
  if (t.staged !== undefined) return 'STAGED';

  return t.picked !== undefined ? 'PICKED' : 'RELEASED';
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

function addOrder(rows: RowSet, s: SimShipment, updatedAt: Date): void {
  const releasedAt = new Date(s.t.released);
  rows.add<Prisma.OrderCreateManyInput>('orders', {
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
  });
  for (const l of s.lines) {
    rows.add<Prisma.OrderLineCreateManyInput>('order_lines', {
      id: l.orderLineId,
      orderId: s.orderId,
      lineNo: l.lineNo,
      skuId: l.sku.id,
      quantity: fixed(l.qty, 4),
      uomCode: l.uom,
      unitPrice: l.unitPrice,
    });
  }
}

const at = (ms: number | undefined) => (ms === undefined ? null : new Date(ms));

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
    plannedTripId: s.trip?.id ?? null,
    releasedAt: new Date(s.t.released),
    pickedAt: at(s.t.picked),
    qcAt: at(s.t.qc),
    packedStagedAt: at(s.t.staged),
    readyAt: at(s.t.ready),
    heldAt: at(s.t.held),
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

function addLines(rows: RowSet, s: SimShipment, updatedAt: Date): void {
  const picked = s.t.picked !== undefined;
  for (const l of s.lines) {
    rows.add<Prisma.ShipmentLineCreateManyInput>('shipment_lines', {
      id: l.shipmentLineId,
      shipmentId: s.id,
      orderLineId: l.orderLineId,
      orderedQty: fixed(l.orderedBase, 4),
      pickedQty: fixed(picked ? l.pickedBase : 0, 4),
      deliveredQty: l.deliveredBase === undefined ? null : fixed(l.deliveredBase, 4),
      lot: picked ? l.lot : null,
      location: picked ? l.location : null,
      updatedAt,
    });
  }
}

export interface EventWriter {
  rows: RowSet;
  rng: Rng;
  now: number;
  partners: PartnerInfo;
}

/** One canonical event as the simulator partner sent it; the hash covers its canonical JSON. */
function addEventRow(w: EventWriter, e: SimEvent, eventId: string, refs: { site: string; orderRef?: string; shipmentRef: string }, shipmentId: string | null): void {
  const payload = { eventId, type: e.type, occurredAt: new Date(e.at).toISOString(), ...refs, ...e.data };
  const json = canonicalJson(payload);
  w.rows.add<Prisma.ShipmentEventCreateManyInput>('shipment_events', {
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
    payloadHash: createHash('sha256').update(json).digest('hex'),
    disposition: shipmentId === null ? 'ORPHANED' : 'APPLIED',
  });
}

function addGateRows(rows: RowSet, s: SimShipment): void {
  for (const d of s.decisions) {
    rows.add<Prisma.ReadinessDecisionCreateManyInput>('readiness_decisions', {
      id: d.id,
      shipmentId: s.id,
      outcome: d.outcome,
      checks: d.checks as Prisma.InputJsonValue,
      ruleVersion: SEED_RULE_VERSION,
      trigger: d.trigger,
      decidedAt: new Date(d.at),
    });
  }
  for (const h of s.holds) {
    rows.add<Prisma.HoldCreateManyInput>('holds', {
      id: h.id,
      shipmentId: s.id,
      reason: h.reason,
      detail: h.detail,
      decisionId: h.decisionId,
      placedAt: new Date(h.placedAt),
      releasedAt: at(h.releasedAt),
      releasedById: h.releasedAt === undefined ? null : (h.releasedById ?? null),
    });
  }
}

function addDocuments(rows: RowSet, s: SimShipment): void {
  for (const d of s.documents) {
    rows.add<Prisma.ShipmentDocumentCreateManyInput>('shipment_documents', {
      id: d.id,
      shipmentId: s.id,
      kind: d.kind,
      reference: d.reference,
      uri: d.uri,
      orderLineId: d.orderLineId ?? null,
      eventId: d.eventId,
      receivedAt: new Date(d.at),
    });
  }
}

/** Table order matters for the foreign keys: orders and lines, then shipments and below. */
export function addShipmentRows(w: EventWriter, shipments: SimShipment[], orphans: SimOrphan[]): void {
  const { rows } = w;
  const stamps = shipments.map(lastActivity);
  shipments.forEach((s, i) => addOrder(rows, s, stamps[i] as Date));
  shipments.forEach((s, i) => rows.add('shipments', shipmentRow(s, stamps[i] as Date)));
  shipments.forEach((s, i) => addLines(rows, s, stamps[i] as Date));
  for (const s of shipments) {
    const refs = { site: s.site.code, orderRef: s.orderRef, shipmentRef: s.ref };
    [...s.events].sort((a, b) => a.at - b.at).forEach((e, i) => addEventRow(w, e, `seed-${s.ref}-${String(i + 1).padStart(2, '0')}`, refs, s.id));
  }
  for (const o of orphans) addEventRow(w, o.event, `seed-orphan-${o.event.id}`, { site: o.site.code, shipmentRef: o.shipmentRef }, null);
  shipments.forEach((s) => addGateRows(rows, s));
  shipments.forEach((s) => addDocuments(rows, s));
}
