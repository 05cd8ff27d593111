import type { Db } from '../../server/db/client';
import type { ShipmentStatus } from '../../server/db/generated/enums';
import { uniqueCode } from '../fixtures/partner';

// Shipments as the apply job would leave them, written directly: the read API's tests need rows
// to read, not the path that makes them.

export async function createCustomer(db: Db) {
  const code = uniqueCode('CUST');

  return db.customer.create({
    data: {
      code,
      name: `Customer ${code}`,
      creditLimit: '100000',
      locations: {
        create: { code: 'DC1', name: 'DC 1', city: 'Austin', postalCode: '78701', country: 'US' },
      },
    },
    include: { locations: true },
  });
}

export interface ShipmentSpec {
  siteId: string;
  customer: Awaited<ReturnType<typeof createCustomer>>;
  status?: ShipmentStatus;
  updatedAt?: Date;
}

export async function createShipment(db: Db, spec: ShipmentSpec) {
  const shipTo = spec.customer.locations[0]!;
  const releasedAt = new Date('2026-03-02T08:00:00Z');
  const order = await db.order.create({
    data: {
      ref: uniqueCode('SO'),
      customerId: spec.customer.id,
      shipToId: shipTo.id,
      siteId: spec.siteId,
      releasedAt,
    },
  });

  return db.shipment.create({
    data: {
      ref: uniqueCode('SH'),
      orderId: order.id,
      siteId: spec.siteId,
      customerId: spec.customer.id,
      shipToId: shipTo.id,
      status: spec.status ?? 'RELEASED',
      releasedAt,
      ...(spec.updatedAt && { updatedAt: spec.updatedAt }),
    },
    include: { order: true },
  });
}

/** A HOLD decision with one open and one released hold, after an earlier PASS. */
export async function holdShipment(db: Db, shipmentId: string) {
  await db.readinessDecision.create({
    data: {
      shipmentId,
      outcome: 'PASS',
      checks: [],
      ruleVersion: 'v1',
      trigger: 'stage',
      decidedAt: new Date('2026-03-02T09:00:00Z'),
    },
  });
  const decision = await db.readinessDecision.create({
    data: {
      shipmentId,
      outcome: 'HOLD',
      checks: [{ check: 'completeness', verdict: 'FAIL' }],
      ruleVersion: 'v1',
      trigger: 'late-void',
      decidedAt: new Date('2026-03-02T10:00:00Z'),
    },
  });
  await db.hold.createMany({
    data: [
      {
        shipmentId,
        decisionId: decision.id,
        reason: 'QUANTITY_VARIANCE',
        detail: 'line 1: picked 10 of 12 EA',
      },
      { shipmentId, reason: 'CREDIT', detail: 'released', releasedAt: new Date() },
    ],
  });

  return decision;
}
