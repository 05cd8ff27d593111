import type { EventType, PayloadOf } from './payloads';
import type { RecordedEvent, ReplayLine } from './replay.types';

// Test data shared by the replay's unit and property tests.

export const BASE_TIME = Date.parse('2026-03-02T08:00:00Z');

export function minute(offset: number): Date {
  return new Date(BASE_TIME + offset * 60_000);
}

export const LINES: ReplayLine[] = [
  {
    lineNo: 1,
    orderLineId: 'ol-1',
    orderedQty: '24',
    baseUom: 'EA',
    skuUnits: [{ uomCode: 'CS', factor: '12' }],
  },
  { lineNo: 2, orderLineId: 'ol-2', orderedQty: '5', baseUom: 'EA', skuUnits: [] },
  {
    lineNo: 3,
    orderLineId: 'ol-3',
    orderedQty: '2.5',
    baseUom: 'KG',
    skuUnits: [{ uomCode: 'G', factor: '0.001' }],
  },
];

export interface RecordOptions {
  /** Arrival, in minutes from BASE_TIME; defaults to the event time (an in-order stream). */
  received?: number;
  partnerId?: string | null;
  id?: string;
}

export function recorded<T extends EventType>(
  type: T,
  eventId: string,
  occurred: number,
  payload: PayloadOf<T>,
  options: RecordOptions = {},
): RecordedEvent {
  return {
    id: options.id ?? `row-${eventId}`,
    eventId,
    partnerId: options.partnerId === undefined ? 'wms' : options.partnerId,
    type,
    occurredAt: minute(occurred),
    receivedAt: minute(options.received ?? occurred),
    payload,
  } as RecordedEvent;
}

export const RELEASE_PAYLOAD: PayloadOf<'ORDER_RELEASED'> = {
  customerCode: 'ACME',
  shipToCode: 'ACME-DC1',
  currency: 'USD',
  lines: [
    { lineNo: 1, skuCode: 'SKU-1', quantity: '2', uom: 'CS', unitPrice: '10' },
    { lineNo: 2, skuCode: 'SKU-2', quantity: '5', uom: 'EA', unitPrice: '3.5' },
    { lineNo: 3, skuCode: 'SKU-3', quantity: '2.5', uom: 'KG', unitPrice: '8' },
  ],
};

export const STAGE_PAYLOAD: PayloadOf<'PACKED_STAGED'> = {
  handlingUnits: 2,
  weight: { value: '1000', unit: 'LB' },
  volume: { value: '10', unit: 'FT3' },
  dock: 'D4',
};

export function pick(lineNo: number, quantity: string, uom = 'EA'): PayloadOf<'PICK_COMPLETED'> {
  return { lines: [{ lineNo, quantity, uom, lot: `LOT-${lineNo}`, location: `A-0${lineNo}` }] };
}

export function voiding(voidedEventId: string): PayloadOf<'EVENT_VOIDED'> {
  return { voidedEventId, reason: 'sent by mistake' };
}

export const POD = {
  signer: 'J. Doe',
  signedAt: '2026-03-02T16:00:00Z',
  documentUri: 'https://pod.example/1.pdf',
};
