import { extendZodWithOpenApi, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

import { GateOutcome, HoldReason, Readiness, ShipmentStatus } from '../db/generated/enums';
import { eventSchemas, MAX_BATCH } from '../domain/events/schema';
import { EVENT_TYPES } from '../domain/events/payloads';

// The answers' shapes for the document. The requests are the domain's own zod schemas; the
// answers are TypeScript interfaces in the domain, so they are restated here as zod, beside the
// one place that reads them (the OpenAPI builder).
// SHORTCOMING: nothing yet parses a real answer with these schemas, so a field added to a
// domain answer can be missing here; the mark goes when the route tests check their answers.

extendZodWithOpenApi(z);

const iso = z.string().openapi({ format: 'date-time', example: '2026-12-03T14:05:00Z' });
const isoOrNull = iso.nullable();

function pascal(type: string): string {
  return type
    .toLowerCase()
    .split('_')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

/** Each event type under its own name, and the union with a `type` discriminator over them. */
export function registerEventSchemas(registry: OpenAPIRegistry) {
  // Cloned: zod gives each schema its methods when it is built, and the domain's were built
  // before `extendZodWithOpenApi` added `.openapi`, which registering calls.
  const registered = EVENT_TYPES.map((type) =>
    registry.register(`${pascal(type)}Event`, eventSchemas[type].clone()),
  );
  const event = registry.register(
    'CanonicalEvent',
    z.discriminatedUnion('type', registered as [(typeof registered)[number]]),
  );
  const batch = registry.register(
    'EventBatch',
    z.strictObject({ events: z.array(event).min(1).max(MAX_BATCH) }),
  );

  return { event, batch };
}

const issue = z.object({ path: z.string(), reason: z.string() });

const itemAnswer = z.discriminatedUnion('status', [
  z.object({
    index: z.number().int(),
    eventId: z.string(),
    status: z.literal('accepted'),
    id: z.string().uuid(),
    receivedAt: iso,
  }),
  z.object({
    index: z.number().int(),
    eventId: z.string(),
    status: z.literal('duplicate'),
    id: z.string().uuid(),
    firstOutcome: z.object({ status: z.literal('accepted'), id: z.string(), receivedAt: iso }),
  }),
  z.object({
    index: z.number().int(),
    eventId: z.string().nullable(),
    status: z.literal('rejected'),
    issues: z.array(issue),
  }),
]);

export const intakeSummary = z
  .object({
    results: z.array(itemAnswer),
    accepted: z.number().int(),
    duplicates: z.number().int(),
    rejected: z.number().int(),
  })
  .openapi('IntakeSummary', { description: 'One answer per item, in the order sent.' });

export const errorBody = z
  .object({
    error: z.string().openapi({ example: 'RATE_LIMITED' }),
    reason: z.string(),
    requestId: z.string().openapi({ description: 'Also sent as the x-request-id header.' }),
    details: z.unknown().optional(),
  })
  .openapi('Error');

const milestones = z.object(
  Object.fromEntries(
    [
      'released',
      'picked',
      'qc',
      'staged',
      'slotted',
      'loaded',
      'departed',
      'arrived',
      'delivered',
      'podReceived',
      'invoiced',
      'cancelled',
    ].map((name) => [name, isoOrNull]),
  ),
);

export const shipmentView = z
  .object({
    ref: z.string(),
    status: z.enum(ShipmentStatus),
    readiness: z.enum(Readiness),
    site: z.string(),
    orderRef: z.string(),
    customer: z.string(),
    trackingRef: z.string().nullable(),
    dangerousGoods: z.boolean(),
    milestones,
    readyAt: isoOrNull,
    heldAt: isoOrNull,
    holds: z.array(z.object({ reason: z.enum(HoldReason), detail: z.string(), placedAt: iso })),
    decision: z
      .object({
        outcome: z.enum(GateOutcome),
        decidedAt: iso,
        ruleVersion: z.string(),
        trigger: z.string(),
        checks: z.unknown(),
      })
      .nullable(),
    updatedAt: iso,
  })
  .openapi('Shipment');

export const shipmentPage = z
  .object({ shipments: z.array(shipmentView), nextCursor: z.string().nullable() })
  .openapi('ShipmentPage');

const orphan = z.object({
  eventId: z.string(),
  exceptionId: z.uuid(),
  unmatched: z
    .array(z.string())
    .describe(
      'each reference the event misses, e.g. "GTIN 00012345678905 of partner ACME has no SKU mapping"',
    ),
});
const documentIntake = intakeSummary.extend({
  heldBack: z.array(z.string()),
  orphans: z
    .array(orphan)
    .describe(
      'the orphan exception each held-back event is parked as until its references are mapped',
    ),
});
const unresolved = z.object({
  kind: z.string(),
  value: z.string(),
  segment: z.string(),
  eventIds: z.array(z.string()),
  set: z.string().optional(),
});
const warning = z.object({
  code: z.string(),
  message: z.string(),
  segment: z.string().optional(),
  eventId: z.string().optional(),
  set: z.string().optional(),
});
const fault = z.object({
  code: z.string(),
  segment: z.string(),
  element: z.string().nullable(),
  position: z.number().int(),
  declared: z.string().nullable(),
  actual: z.string().nullable(),
  message: z.string(),
});

export const epcisAnswer = z
  .object({
    documentId: z.string().uuid(),
    events: documentIntake,
    unresolved: z.array(unresolved),
    warnings: z.array(warning),
  })
  .openapi('EpcisAnswer');

const interchangeAnswer = z.object({
  documentId: z.string().uuid(),
  key: z.string(),
  duplicate: z.boolean(),
  firstReceivedAt: iso.optional().openapi({ description: 'Only on a repeat.' }),
  inProgress: z.literal(true).optional(),
  envelope: z
    .object({ faults: z.array(fault), groups: z.array(z.unknown()), sets: z.array(z.unknown()) })
    .optional(),
  events: documentIntake.optional(),
  unresolved: z.array(unresolved).optional(),
  warnings: z.array(warning).optional(),
  ack997: z.string().nullable().optional().openapi({ description: 'The 997, as X12 text.' }),
  ta1: z.string().nullable().optional(),
});

export const x12Answer = z
  .object({ interchanges: z.array(interchangeAnswer), strays: z.number().int() })
  .openapi('X12Answer');
