import { randomBytes } from 'node:crypto';
import { expect, type APIRequestContext } from '@playwright/test';
import { GATE_WORLD } from '../fixtures/gate-world';
import { WORLD } from '../fixtures/world';
import { e2eApiKey } from './e2e-env';

// Canonical events for a new order of the e2e world, as a WMS would send them, and the partner
// API call that sends them. Every order ref is new per test run, so reruns never collide.

export interface OrderSpec {
  orderRef: string;
  /** Widgets ordered on line 1, in EA. */
  quantity: number;
}

export function newOrderRef(label: string): string {
  return `ORD-${label}-${randomBytes(3).toString('hex').toUpperCase()}`;
}

/** Event times a few minutes in the past, one minute apart, in order of the steps. */
function minutesAgo(n: number): string {
  return new Date(Date.now() - n * 60_000).toISOString();
}

function envelope(order: OrderSpec, step: string, type: string, at: string) {
  return {
    eventId: `${order.orderRef}-${step}`,
    type,
    occurredAt: at,
    site: WORLD.homeSite,
    orderRef: order.orderRef,
  };
}

export function released(order: OrderSpec) {
  return {
    ...envelope(order, 'rel', 'ORDER_RELEASED', minutesAgo(30)),
    payload: {
      customerCode: WORLD.customer.code,
      shipToCode: WORLD.customer.shipTo,
      currency: 'USD',
      lines: [
        {
          lineNo: 1,
          skuCode: GATE_WORLD.sku,
          quantity: String(order.quantity),
          uom: 'EA',
          unitPrice: '10.00',
        },
      ],
    },
  };
}

export function picked(order: OrderSpec, quantity = order.quantity) {
  return {
    ...envelope(order, 'pick', 'PICK_COMPLETED', minutesAgo(20)),
    payload: {
      lines: [
        { lineNo: 1, quantity: String(quantity), uom: 'EA', lot: 'LOT-7', location: 'A-01-02' },
      ],
    },
  };
}

export function staged(order: OrderSpec) {
  return {
    ...envelope(order, 'stage', 'PACKED_STAGED', minutesAgo(10)),
    payload: {
      handlingUnits: 2,
      weight: { value: String(order.quantity * 2.5), unit: 'KG' },
      volume: { value: '0.5', unit: 'M3' },
      dock: GATE_WORLD.docks[0],
    },
  };
}

/** POST /api/v1/events with the seeded partner's key; every item must be accepted. */
export async function sendEvents(request: APIRequestContext, events: unknown[]): Promise<void> {
  const response = await request.post('/api/v1/events', {
    headers: { authorization: `Bearer ${e2eApiKey()}` },
    data: { events },
  });
  const body = (await response.json()) as { accepted: number; results: unknown[] };

  expect(response.status(), JSON.stringify(body)).toBe(200);
  expect(body.accepted, JSON.stringify(body.results)).toBe(events.length);
}
