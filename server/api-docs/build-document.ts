import { OpenApiGeneratorV31, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';

import { rateLimitConfigFromEnv } from '../lib/rate-limit';
import { registerPaths } from './paths';

// The partner API's OpenAPI 3.1 document, built from the zod schemas once per process: the
// schemas only change with a deploy.

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

let built: OpenApiDocument | undefined;

export function openApiDocument(): OpenApiDocument {
  built ??= buildDocument();

  return built;
}

function buildDocument(): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registerPaths(registry);
  const { points } = rateLimitConfigFromEnv();

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Control tower partner API',
      version: 'v1',
      description:
        'Warehouse, carrier and ERP partners send events and documents and read shipments. ' +
        'Every answer carries `x-request-id`; errors are `{ error, reason, requestId }`. Each ' +
        `key may send ${points} requests per second (a short burst above it is allowed); past ` +
        'that the answer is 429 with `Retry-After`. A deprecated route answers with ' +
        '`Deprecation`, `Sunset` and `Link` headers before it is removed.',
    },
    servers: [{ url: '/' }],
    security: [],
  });
}
