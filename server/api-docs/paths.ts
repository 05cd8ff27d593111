import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

import { ShipmentStatus } from '../db/generated/enums';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../domain/shipments/read-shipments.types';
import {
  epcisAnswer,
  errorBody,
  intakeSummary,
  registerEventSchemas,
  shipmentPage,
  shipmentView,
  x12Answer,
} from './schemas';

// Every v1 route as the document shows it. A route added under app/api/v1 is added here too:
// the governance test fails on a path the document does not list.

const header = (description: string) => z.string().openapi({ description });

const commonHeaders = z.object({
  'x-request-id': header('The request id, echoed when the caller sent a plain one.'),
});
const limitHeaders = commonHeaders.extend({
  'x-ratelimit-limit': header('Requests this key may send per second.'),
  'x-ratelimit-remaining': header('Requests left in the current second.'),
});

const ERROR_TEXT: Record<number, string> = {
  400: 'The body or query is not what this route reads.',
  401: 'No API key, or one that is unknown, revoked or expired.',
  403: 'The key lacks the permission, site or event type.',
  404: 'No such resource within the key’s sites.',
  413: 'The body is larger than the route accepts.',
  429: 'The key is over its rate limit; wait `Retry-After` seconds.',
};

function errors(...statuses: number[]): Record<number, ResponseConfig> {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: ERROR_TEXT[status]!,
        headers:
          status === 429
            ? limitHeaders.extend({ 'retry-after': header('Seconds to wait before retrying.') })
            : commonHeaders,
        content: { 'application/json': { schema: errorBody } },
      },
    ]),
  );
}

function ok(description: string, schema: z.ZodType): ResponseConfig {
  return { description, headers: limitHeaders, content: { 'application/json': { schema } } };
}

const bearer = [{ partnerKey: [] }];

export function registerPaths(registry: OpenAPIRegistry): void {
  registry.registerComponent('securitySchemes', 'partnerKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'A partner API key, `ctk_<prefix>_<secret>`, created by an admin.',
  });
  registerEvents(registry);
  registerShipments(registry);
  registerDocuments(registry);
  registerPublic(registry);
}

function registerEvents(registry: OpenAPIRegistry): void {
  const { event, batch } = registerEventSchemas(registry);
  registry.registerPath({
    method: 'post',
    path: '/api/v1/events',
    summary: 'Record one canonical event or a batch',
    description:
      'Each item is judged on its own: one bad item spoils none of the rest. A resent eventId ' +
      'is answered as a duplicate with its first outcome. Needs the `events` permission.',
    security: bearer,
    request: {
      body: {
        required: true,
        content: { 'application/json': { schema: z.union([event, batch]) } },
      },
    },
    responses: {
      200: ok('At least one item was accepted or a duplicate.', intakeSummary),
      422: ok('Every item was rejected; each names its issues.', intakeSummary),
      ...errors(400, 401, 403, 413, 429),
    },
  });
}

const shipmentQuery = z.object({
  status: z
    .string()
    .optional()
    .openapi({ description: `Comma-separated: ${Object.values(ShipmentStatus).join(', ')}` }),
  site: z.string().optional().openapi({ description: 'A site code within the key’s sites.' }),
  updatedSince: z.string().optional().openapi({ format: 'date-time' }),
  limit: z.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT).optional(),
  cursor: z.string().optional().openapi({ description: 'The previous page’s `nextCursor`.' }),
});

function registerShipments(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/v1/shipments',
    summary: 'List shipments at the key’s sites, most recently updated last',
    security: bearer,
    request: { query: shipmentQuery },
    responses: { 200: ok('A page of shipments.', shipmentPage), ...errors(400, 401, 403, 429) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/shipments/{ref}',
    summary: 'One shipment by its ref',
    security: bearer,
    request: { params: z.object({ ref: z.string().openapi({ example: 'SHP-1042' }) }) },
    responses: { 200: ok('The shipment.', shipmentView), ...errors(401, 403, 404, 429) },
  });
}

function registerDocuments(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/api/v1/edi',
    summary: 'Send a raw X12 interchange (940, 945, 856, 214, 210, 990)',
    description:
      'Answers 200 with the result and the 997 whenever the body was read as X12, even when ' +
      'the 997 rejects it; a repeated interchange is answered with its first result.',
    security: bearer,
    request: {
      body: {
        required: true,
        content: {
          'text/plain': { schema: z.string().openapi({ example: 'ISA*00*          *00*...~' }) },
          'application/edi-x12': { schema: z.string() },
        },
      },
    },
    responses: { 200: ok('The interchanges read.', x12Answer), ...errors(400, 401, 403, 413, 429) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/epcis',
    summary: 'Send an EPCIS 2.0 JSON-LD document (ObjectEvent, AggregationEvent)',
    security: bearer,
    request: {
      body: {
        required: true,
        content: {
          'application/ld+json': { schema: z.record(z.string(), z.unknown()) },
          'application/json': { schema: z.record(z.string(), z.unknown()) },
        },
      },
    },
    responses: {
      200: ok('The events read.', epcisAnswer),
      ...errors(400, 401, 403, 413, 429),
    },
  });
}

function registerPublic(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/v1/ping',
    summary: 'Liveness of the API itself; no key, no database',
    responses: { 200: ok('Up.', z.object({ ok: z.literal(true) })) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/openapi.json',
    summary: 'This document',
    responses: { 200: { description: 'The OpenAPI 3.1 document.' } },
  });
}
