import { z } from 'zod';

import { parseInstant } from '../../domain/events/instant';
import { cbvTerm, isEpcisContext } from './vocabulary';

// Our own zod schemas for the EPCIS 2.0 JSON-LD events we read (ObjectEvent, AggregationEvent),
// holding only the fields the mapper uses; every other field (user extensions such as
// "example:myField", sensor data, certification info) is stripped, not refused. A document's
// events are judged one by one, so one bad event spoils none of the others.

const dateTime = z.string().superRefine((raw, ctx) => {
  const read = parseInstant('eventTime', raw);
  if (!read.ok) ctx.addIssue({ code: 'custom', message: read.reason });
});

const offset = z.string().regex(/^[+-]\d{2}:\d{2}$/, 'a time zone offset such as "-06:00"');
const place = z.object({ id: z.string().min(1) });
const quantityElement = z.object({
  epcClass: z.string().min(1),
  quantity: z.number().nonnegative().optional(),
  uom: z.string().min(1).optional(),
});
const bizTransaction = z.object({
  type: z
    .string()
    .transform((t) => cbvTerm('bizTransactionType', t))
    .optional(),
  bizTransaction: z.string().min(1),
});

const common = {
  eventID: z.string().min(1).optional(),
  eventTime: dateTime,
  eventTimeZoneOffset: offset,
  action: z.enum(['ADD', 'OBSERVE', 'DELETE']),
  bizStep: z
    .string()
    .transform((s) => cbvTerm('bizStep', s))
    .optional(),
  disposition: z
    .string()
    .transform((d) => cbvTerm('disposition', d))
    .optional(),
  readPoint: place.optional(),
  bizLocation: place.optional(),
  bizTransactionList: z.array(bizTransaction).default([]),
};

export const objectEventSchema = z.object({
  type: z.literal('ObjectEvent'),
  ...common,
  epcList: z.array(z.string().min(1)).default([]),
  quantityList: z.array(quantityElement).default([]),
});

export const aggregationEventSchema = z.object({
  type: z.literal('AggregationEvent'),
  ...common,
  parentID: z.string().min(1).optional(),
  childEPCs: z.array(z.string().min(1)).default([]),
  childQuantityList: z.array(quantityElement).default([]),
});

export const epcisEventSchema = z.discriminatedUnion('type', [
  objectEventSchema,
  aggregationEventSchema,
]);

export type EpcisEvent = z.output<typeof epcisEventSchema>;
export type ObjectEvent = z.output<typeof objectEventSchema>;
export type AggregationEvent = z.output<typeof aggregationEventSchema>;

export const epcisDocumentSchema = z.object({
  '@context': z.unknown().refine(isEpcisContext, {
    message: 'the @context names no EPCIS 2.0 context (gs1.github.io/EPCIS or ref.gs1.org)',
  }),
  type: z.enum(['EPCISDocument', 'EPCISQueryDocument']),
  schemaVersion: z.string().optional(),
  creationDate: dateTime.optional(),
  epcisBody: z.object({
    eventList: z.array(z.unknown()).optional(),
    queryResults: z
      .object({ resultsBody: z.object({ eventList: z.array(z.unknown()) }) })
      .optional(),
  }),
});

export interface ReadEvent {
  index: number;
  /** The event as sent: its hash is the event id when it has no eventID. */
  raw: unknown;
  event: EpcisEvent | null;
  /** Why the event was not read: another event type, or the fields at fault. */
  problem: string | null;
}

export type ReadEpcisResult = { ok: true; events: ReadEvent[] } | { ok: false; reason: string };

const READ_TYPES = new Set(['ObjectEvent', 'AggregationEvent']);

function readEvent(raw: unknown, index: number): ReadEvent {
  const type = (raw as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && !READ_TYPES.has(type)) {
    return { index, raw, event: null, problem: `${type} is not read here` };
  }
  const parsed = epcisEventSchema.safeParse(raw);
  if (parsed.success) return { index, raw, event: parsed.data, problem: null };
  const problem = parsed.error.issues.map((i) => `${i.path.join('.') || 'event'}: ${i.message}`);

  return { index, raw, event: null, problem: problem.join('; ') };
}

/** An EPCIS 2.0 JSON-LD document (text or parsed JSON) and each of its events. */
export function readEpcis(raw: unknown): ReadEpcisResult {
  let json = raw;
  if (typeof raw === 'string') {
    try {
      json = JSON.parse(raw.replace(/^\uFEFF/, ''));
    } catch {
      return { ok: false, reason: 'the body is not JSON' };
    }
  }
  const document = epcisDocumentSchema.safeParse(json);
  if (!document.success) {
    return { ok: false, reason: document.error.issues.map((i) => i.message).join('; ') };
  }
  const body = document.data.epcisBody;
  const list = body.eventList ?? body.queryResults?.resultsBody.eventList ?? [];

  return { ok: true, events: list.map(readEvent) };
}
