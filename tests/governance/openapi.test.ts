import fs from 'node:fs';
import path from 'node:path';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

import { GET } from '../../app/api/v1/openapi.json/route';
import ApiDocsPage from '../../app/docs/api/page';
import { EVENT_TYPES } from '../../server/domain/events/payloads';

// The document as a partner fetches it, checked against the routes that exist on disk, so that
// a new v1 route cannot ship undocumented.

const V1 = path.resolve(import.meta.dirname, '../../app/api/v1');

function routesOnDisk(dir = V1, prefix = '/api/v1'): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (!entry.isDirectory()) return [];
    const segment = entry.name.replace(/^\[(.+)\]$/, '{$1}');
    const here = `${prefix}/${segment}`;
    const own = fs.existsSync(path.join(dir, entry.name, 'route.ts')) ? [here] : [];

    return [...own, ...routesOnDisk(path.join(dir, entry.name), here)];
  });
}

interface Document {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  components: {
    schemas: Record<string, { discriminator?: { propertyName: string; mapping: object } }>;
    securitySchemes: Record<string, { scheme: string }>;
  };
}

async function fetchDocument(): Promise<{ response: Response; document: Document }> {
  const response = await GET(new Request('http://localhost/api/v1/openapi.json'), undefined);
  const document = JSON.parse(await response.text()) as Document;

  return { response, document };
}

describe('GET /api/v1/openapi.json', () => {
  it('is OpenAPI 3.1 JSON listing every v1 route', async () => {
    const { response, document } = await fetchDocument();

    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(Object.keys(document.paths).sort()).toEqual(routesOnDisk().sort());
    expect(document.components.securitySchemes.partnerKey?.scheme).toBe('bearer');
  });

  it('describes the canonical event by a `type` discriminator over every event type', async () => {
    const { document } = await fetchDocument();
    const event = document.components.schemas.CanonicalEvent;

    expect(event?.discriminator?.propertyName).toBe('type');
    expect(Object.keys(event?.discriminator?.mapping ?? {}).sort()).toEqual(
      [...EVENT_TYPES].sort(),
    );
  });

  it('writes every pattern as a plain regular expression a validator can compile', async () => {
    const { document } = await fetchDocument();
    const patterns = [...JSON.stringify(document).matchAll(/"pattern":("(?:[^"\\]|\\.)*")/g)].map(
      (m) => JSON.parse(m[1]!) as string,
    );

    expect(patterns.length).toBeGreaterThan(0);
    for (const pattern of patterns) {
      expect(pattern, pattern).not.toMatch(/\/[a-z]*$/);
      expect(() => new RegExp(pattern)).not.toThrow();
    }
  });

  it('names the errors partners meet, with the rate limit on every keyed route', async () => {
    const { document } = await fetchDocument();
    const events = document.paths['/api/v1/events']!.post!.responses;

    expect(Object.keys(events).sort()).toEqual(['200', '400', '401', '403', '413', '422', '429']);
    for (const [route, item] of Object.entries(document.paths)) {
      const keyed = !route.endsWith('/ping') && !route.endsWith('/openapi.json');
      for (const operation of Object.values(item)) {
        expect('429' in operation.responses, route).toBe(keyed);
      }
    }
  });
});

describe('the docs page', () => {
  it('renders every endpoint and the event schema', () => {
    const html = renderToStaticMarkup(ApiDocsPage());

    for (const route of routesOnDisk()) expect(html).toContain(route);
    expect(html).toContain('CanonicalEvent');
    expect(html).toContain('Retry-After');
  });
});
