import { randomBytes } from 'node:crypto';

// Requests and canonical events for the intake tests. Event times sit a minute before the real
// clock, because the route judges "too far in the future" against its own `new Date()`.

export function uid(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export function minutesAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString();
}

export interface EventSpec {
  site: string;
  orderRef?: string;
  eventId?: string;
  type?: string;
  payload?: unknown;
  [field: string]: unknown;
}

export const RELEASE = {
  customerCode: 'ACME',
  shipToCode: 'ACME-DC1',
  currency: 'USD',
  lines: [{ lineNo: 1, skuCode: 'SKU-1', quantity: '12', uom: 'EA', unitPrice: '4.50' }],
};

export const STAGE = {
  handlingUnits: 2,
  weight: { value: '840.5', unit: 'KG' },
  volume: { value: '3.2', unit: 'M3' },
  dock: 'D4',
};

/** A valid event (ORDER_RELEASED unless `type` says otherwise), with fields overridden. */
export function event(spec: EventSpec): Record<string, unknown> {
  const type = spec.type ?? 'ORDER_RELEASED';

  return {
    eventId: uid('EV'),
    occurredAt: minutesAgo(5),
    orderRef: uid('SO'),
    payload: type === 'ORDER_RELEASED' ? RELEASE : type === 'PACKED_STAGED' ? STAGE : {},
    ...spec,
    type,
  };
}

export function pick(spec: EventSpec, quantity: unknown = '12'): Record<string, unknown> {
  return event({
    type: 'PICK_COMPLETED',
    payload: { lines: [{ lineNo: 1, quantity, uom: 'EA', lot: 'L1', location: 'A-01' }] },
    ...spec,
  });
}

interface RequestOptions {
  authorization?: string;
  requestId?: string;
  method?: string;
}

export function apiRequest(path: string, body?: string, options: RequestOptions = {}): Request {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (options.authorization) headers.set('authorization', options.authorization);
  if (options.requestId) headers.set('x-request-id', options.requestId);

  return new Request(`http://localhost${path}`, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
  });
}

export interface Answer {
  status: number;
  requestId: string | null;
  body: Record<string, unknown>;
}

export async function answerOf(response: Response): Promise<Answer> {
  return {
    status: response.status,
    requestId: response.headers.get('x-request-id'),
    body: (await response.json()) as Record<string, unknown>,
  };
}
