import { randomBytes } from 'node:crypto';

// Benchmark traffic: whole shipments' worth of events (release, pick, stage, departure), four
// per order, so that a batch of 1,000 touches 250 shipment references as real WMS traffic does.

const RUN = randomBytes(3).toString('hex');
let serial = 0;

function occurred(offsetMinutes: number): string {
  return new Date(Date.now() - (120 - offsetMinutes) * 60_000).toISOString();
}

export function orderEvents(site: string): Record<string, unknown>[] {
  const n = ++serial;
  const orderRef = `BENCH-${RUN}-${n}`;
  const base = { site, orderRef };
  const line = { lineNo: 1, uom: 'EA' };

  return [
    {
      ...base,
      eventId: `${orderRef}-rel`,
      type: 'ORDER_RELEASED',
      occurredAt: occurred(0),
      payload: {
        customerCode: 'BENCH',
        shipToCode: 'BENCH-DC1',
        currency: 'USD',
        lines: [{ ...line, skuCode: 'SKU-1', quantity: '24', unitPrice: '12.50' }],
      },
    },
    {
      ...base,
      eventId: `${orderRef}-pick`,
      type: 'PICK_COMPLETED',
      occurredAt: occurred(10),
      payload: { lines: [{ ...line, quantity: '24', lot: `L${n}`, location: 'A-01-02' }] },
    },
    {
      ...base,
      eventId: `${orderRef}-stage`,
      type: 'PACKED_STAGED',
      occurredAt: occurred(20),
      payload: {
        handlingUnits: 2,
        weight: { value: '412.5', unit: 'KG' },
        volume: { value: '1.8', unit: 'M3' },
        dock: 'D4',
      },
    },
    {
      ...base,
      eventId: `${orderRef}-dep`,
      type: 'DEPARTED',
      occurredAt: occurred(30),
      payload: {},
    },
  ];
}

export function batchOf(site: string, size: number): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  while (events.length < size) events.push(...orderEvents(site));

  return events.slice(0, size);
}

/** One event per call, each for a shipment of its own, as a WMS that posts as it goes. */
export function singleEvent(site: string): Record<string, unknown> {
  return orderEvents(site)[0]!;
}
