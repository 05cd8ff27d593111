import { z } from 'zod';

import { mustBe } from './field-errors';
import { instantString, parseInstant } from './instant';
import { code, EVENT_TYPES, payloadSchemas, type EventType } from './payloads';

// The canonical event: what POST /api/v1/events accepts and what the EDI, EPCIS, CSV and UI
// adapters produce. One schema per type; parsing picks it by `type` first so that a bad payload
// is reported against its own fields rather than as "matches no member of a union".

export const MAX_BATCH = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
// Earlier than this is a broken clock or a typo, not a warehouse event.
const EARLIEST_EVENT = new Date('2000-01-01T00:00:00Z');

function ref(label: string) {
  return z
    .string({ error: mustBe(`${label} must be a string`) })
    .trim()
    .min(1, `${label} must not be empty`)
    .max(128, `${label} must be at most 128 characters`);
}

const envelope = {
  eventId: z
    .string({ error: mustBe('eventId must be a string') })
    .min(1, 'eventId must not be empty')
    .max(128, 'eventId must be at most 128 characters')
    // The control characters (Unicode Cc) spelt out: a pattern without flags reads the same in
    // the OpenAPI document as here.
    .regex(/^[^\u0000-\u001f\u007f-\u009f]+$/, 'eventId must not contain control characters'),
  occurredAt: instantString('occurredAt'),
  site: code('site'),
  orderRef: ref('orderRef').optional(),
  shipmentRef: ref('shipmentRef').optional(),
  /** Transport only: when the sender transmitted it. Retries restamp it, so it is not hashed. */
  sentAt: instantString('sentAt').optional(),
};

/** Types recorded for their site alone: they name no order or shipment and move none. */
export const SITE_ONLY: ReadonlySet<EventType> = new Set(['INBOUND_RECEIPT']);

function eventOf<const T extends EventType, P extends z.ZodType>(type: T, payload: P) {
  return z
    .strictObject({ ...envelope, type: z.literal(type), payload })
    .superRefine((event, ctx) => {
      if (SITE_ONLY.has(type)) {
        for (const field of ['orderRef', 'shipmentRef'] as const) {
          if (event[field] === undefined) continue;
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: `${type} moves no shipment: name its documents in payload.bizTransactions`,
          });
        }
      } else if (event.orderRef === undefined && event.shipmentRef === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['orderRef'],
          message: 'orderRef or shipmentRef is required',
        });
      }
    });
}

// Types whose payload has no required field may leave it out.
export const eventSchemas = {
  ORDER_RELEASED: eventOf('ORDER_RELEASED', payloadSchemas.ORDER_RELEASED),
  PICK_COMPLETED: eventOf('PICK_COMPLETED', payloadSchemas.PICK_COMPLETED),
  QC_PASSED: eventOf('QC_PASSED', payloadSchemas.QC_PASSED.default({})),
  QC_FAILED: eventOf('QC_FAILED', payloadSchemas.QC_FAILED),
  PACKED_STAGED: eventOf('PACKED_STAGED', payloadSchemas.PACKED_STAGED),
  DOCUMENT_ATTACHED: eventOf('DOCUMENT_ATTACHED', payloadSchemas.DOCUMENT_ATTACHED),
  LOADED: eventOf('LOADED', payloadSchemas.LOADED),
  DEPARTED: eventOf('DEPARTED', payloadSchemas.DEPARTED.default({})),
  ARRIVED: eventOf('ARRIVED', payloadSchemas.ARRIVED.default({})),
  DELIVERED: eventOf('DELIVERED', payloadSchemas.DELIVERED.default({})),
  POD_RECEIVED: eventOf('POD_RECEIVED', payloadSchemas.POD_RECEIVED),
  CANCELLED: eventOf('CANCELLED', payloadSchemas.CANCELLED),
  EVENT_VOIDED: eventOf('EVENT_VOIDED', payloadSchemas.EVENT_VOIDED),
  RETURN_RECEIVED: eventOf('RETURN_RECEIVED', payloadSchemas.RETURN_RECEIVED),
  INBOUND_RECEIPT: eventOf('INBOUND_RECEIPT', payloadSchemas.INBOUND_RECEIPT),
} satisfies Record<EventType, z.ZodType>;

/** The whole contract as one schema, for callers that want it (OpenAPI, tRPC input). */
export const canonicalEventSchema = z.discriminatedUnion(
  'type',
  Object.values(eventSchemas) as [
    (typeof eventSchemas)[EventType],
    ...(typeof eventSchemas)[EventType][],
  ],
);

export type CanonicalEvent = { [T in EventType]: z.output<(typeof eventSchemas)[T]> }[EventType];
export type EventOf<T extends EventType> = Extract<CanonicalEvent, { type: T }>;

export interface ParseContext {
  /** The intake's clock, passed in so that tests and replays of old bodies are deterministic. */
  now: Date;
  /** How far ahead of `now` an event time may be (sender clocks drift); one day by default. */
  maxFutureMs?: number;
}

/** `path` reads like "payload.lines[0].quantity"; an empty path means the item as a whole. */
export interface EventIssue {
  path: string;
  reason: string;
}

export type EventResult =
  { ok: true; event: CanonicalEvent } | { ok: false; eventId: string | null; issues: EventIssue[] };

export type IntakeBodyResult =
  | { kind: 'EVENTS'; batch: boolean; results: EventResult[] }
  | { kind: 'NOT_AN_EVENT'; reason: string }
  | { kind: 'TOO_MANY'; count: number; limit: number };

export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) =>
      typeof key === 'number' ? `[${key}]` : `${index ? '.' : ''}${String(key)}`,
    )
    .join('');
}

function issuesOf(error: z.ZodError): EventIssue[] {
  return error.issues.flatMap((issue) => {
    const path = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        reason: 'is not a field of this event type',
      }));
    }

    return [{ path, reason: issue.message }];
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeProblem(type: unknown): string | null {
  if (type === undefined) return 'is required';
  if (typeof type === 'string' && (EVENT_TYPES as string[]).includes(type)) return null;

  return `unknown event type ${JSON.stringify(type)}; expected one of ${EVENT_TYPES.join(', ')}`;
}

/** Times the schema cannot judge alone: they are checked against the intake's `now`. */
function timeIssues(event: CanonicalEvent, context: ParseContext): EventIssue[] {
  const times: [string, string][] = [['occurredAt', event.occurredAt]];
  if (event.type === 'POD_RECEIVED') times.push(['payload.signedAt', event.payload.signedAt]);
  if (event.type === 'DELIVERED' && event.payload.pod) {
    times.push(['payload.pod.signedAt', event.payload.pod.signedAt]);
  }
  const latest = context.now.getTime() + (context.maxFutureMs ?? DAY_MS);

  return times.flatMap(([path, raw]) => {
    const instant = parseInstant(path, raw);
    if (!instant.ok) return [{ path, reason: instant.reason }];
    if (instant.at.getTime() > latest) {
      return [
        {
          path,
          reason: `${path} is too far in the future (after ${new Date(latest).toISOString()})`,
        },
      ];
    }
    if (instant.at < EARLIEST_EVENT) {
      return [{ path, reason: `${path} is before ${EARLIEST_EVENT.toISOString()}` }];
    }

    return [];
  });
}

/** One event, with every problem found listed by field path. */
export function parseEvent(raw: unknown, context: ParseContext): EventResult {
  if (!isRecord(raw)) {
    return {
      ok: false,
      eventId: null,
      issues: [{ path: '', reason: 'an event must be a JSON object' }],
    };
  }
  const eventId = typeof raw.eventId === 'string' ? raw.eventId : null;
  const badType = typeProblem(raw.type);
  if (badType) return { ok: false, eventId, issues: [{ path: 'type', reason: badType }] };

  const schema = eventSchemas[raw.type as EventType] as z.ZodType<CanonicalEvent>;
  const parsed = schema.safeParse(raw, { error: mustBe('has the wrong type') });
  if (!parsed.success) return { ok: false, eventId, issues: issuesOf(parsed.error) };
  const late = timeIssues(parsed.data, context);

  return late.length ? { ok: false, eventId, issues: late } : { ok: true, event: parsed.data };
}

/** `{ "events": [...] }`: each item judged on its own, so one bad item spoils none of the rest. */
export function parseBatch(raw: Record<string, unknown>, context: ParseContext): IntakeBodyResult {
  const extra = Object.keys(raw).filter((key) => key !== 'events');
  if (extra.length) {
    return {
      kind: 'NOT_AN_EVENT',
      reason: `a batch holds only "events"; found ${extra.join(', ')}`,
    };
  }
  const events = raw.events;
  if (!Array.isArray(events)) return { kind: 'NOT_AN_EVENT', reason: '"events" must be an array' };
  if (events.length === 0)
    return { kind: 'NOT_AN_EVENT', reason: '"events" must hold at least one event' };
  if (events.length > MAX_BATCH)
    return { kind: 'TOO_MANY', count: events.length, limit: MAX_BATCH };

  return { kind: 'EVENTS', batch: true, results: events.map((item) => parseEvent(item, context)) };
}

/**
 * A whole intake body: one event object or a batch. Anything else (an array, a string, null) is
 * NOT_AN_EVENT (400); a batch over the limit is TOO_MANY (413) and none of it is read.
 */
export function parseIntakeBody(raw: unknown, context: ParseContext): IntakeBodyResult {
  if (!isRecord(raw)) {
    return {
      kind: 'NOT_AN_EVENT',
      reason: 'the body must be an event object or {"events": [...]}',
    };
  }
  if ('events' in raw) return parseBatch(raw, context);

  return { kind: 'EVENTS', batch: false, results: [parseEvent(raw, context)] };
}

export { EVENT_TYPES, payloadSchemas } from './payloads';
export type * from './payloads';
