import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { GET } from '../../app/api/v1/shipments/route';
import { prisma } from '../../server/db/client';
import { apiRoute, jsonResponse } from '../../server/lib/http';
import {
  ApiRateLimiter,
  rateLimitConfigFromEnv,
  useApiRateLimiter,
  type RateLimitConfig,
} from '../../server/lib/rate-limit';
import { createApiKey, createPartner, createSite } from '../fixtures/partner';

// The per-key limit through the real route handler and the real PostgreSQL store. Windows are
// long (30 s) so that a slow machine never crosses one mid-test; each test counts under its own
// key prefix, so test files and reruns sharing the run's database never see each other's counts.

const pools: Pool[] = [];
let first: string;
let second: string;

function pool(url = process.env.DATABASE_URL): Pool {
  const created = new Pool({ connectionString: url, max: 2 });
  pools.push(created);

  return created;
}

function limiter(config: Partial<RateLimitConfig>, prefix: string, on = pool()): ApiRateLimiter {
  const full = { points: 5, windowSeconds: 30, burst: 0, burstWindowSeconds: 30, ...config };

  return new ApiRateLimiter(on, full, prefix);
}

function freshPrefix(): string {
  return `test-${randomBytes(4).toString('hex')}`;
}

async function list(authorization: string): Promise<Response> {
  const request = new Request('http://localhost/api/v1/shipments?limit=1', {
    headers: { authorization },
  });

  return GET(request, undefined);
}

beforeAll(async () => {
  const site = await createSite(prisma);
  const partnerId = (await createPartner(prisma)).id;
  first = (await createApiKey(prisma, { partnerId, siteIds: [site.id] })).authorization;
  second = (await createApiKey(prisma, { partnerId, siteIds: [site.id] })).authorization;
});

afterAll(async () => {
  await Promise.all(pools.map((each) => each.end()));
  await prisma.$disconnect();
});

describe('the rate limit per API key', () => {
  it('answers 429 with Retry-After past the limit, and leaves another key alone', async () => {
    useApiRateLimiter(limiter({ points: 5 }, freshPrefix()));
    for (let sent = 1; sent <= 5; sent++) {
      const response = await list(first);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-ratelimit-limit')).toBe('5');
      expect(response.headers.get('x-ratelimit-remaining')).toBe(String(5 - sent));
    }

    const refused = await list(first);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(30);
    const body = (await refused.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ error: 'RATE_LIMITED', requestId: expect.any(String) });
    expect(body.reason).toMatch(/more than 5 requests per second/);
    expect(refused.headers.get('x-request-id')).toBe(body.requestId);

    const other = await list(second);
    expect(other.status).toBe(200);
    expect(other.headers.get('x-ratelimit-remaining')).toBe('4');
  });

  it('charges nothing to a request without a live key', async () => {
    useApiRateLimiter(limiter({ points: 1 }, freshPrefix()));
    const response = await list('Bearer ctk_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');

    expect(response.status).toBe(401);
    expect(response.headers.get('x-ratelimit-limit')).toBeNull();
  });

  it('is one count for two app instances on separate pools', async () => {
    const prefix = freshPrefix();
    const one = limiter({ points: 6 }, prefix);
    const two = limiter({ points: 6 }, prefix);
    const verdicts = [];
    for (let i = 0; i < 4; i++) {
      verdicts.push(await one.consume('key-a'), await two.consume('key-a'));
    }

    expect(verdicts.map((each) => each?.allowed)).toEqual([
      ...Array<boolean>(6).fill(true),
      false,
      false,
    ]);
    expect(verdicts.map((each) => each?.remaining).slice(0, 6)).toEqual([5, 4, 3, 2, 1, 0]);
  });

  it('lets a burst through beyond the steady rate, then refuses', async () => {
    const bursty = limiter({ points: 2, burst: 3 }, freshPrefix());
    const allowed = [];
    for (let i = 0; i < 6; i++) allowed.push((await bursty.consume('key-b'))?.allowed);

    expect(allowed).toEqual([true, true, true, true, true, false]);
  });

  it('charges requests that arrive together one point each, in order, burst included', async () => {
    const steady = limiter({ points: 5 }, freshPrefix());
    const together = await Promise.all(Array.from({ length: 8 }, () => steady.consume('key-d')));

    expect(together.map((each) => each?.allowed)).toEqual([
      ...Array<boolean>(5).fill(true),
      ...Array<boolean>(3).fill(false),
    ]);
    expect(together.map((each) => each?.remaining).slice(0, 5)).toEqual([4, 3, 2, 1, 0]);

    const bursty = limiter({ points: 2, burst: 3 }, freshPrefix());
    const burst = await Promise.all(Array.from({ length: 8 }, () => bursty.consume('key-e')));
    expect(burst.map((each) => each?.allowed)).toEqual([
      ...Array<boolean>(5).fill(true),
      ...Array<boolean>(3).fill(false),
    ]);
    expect((await bursty.consume('key-e'))?.allowed).toBe(false);
  });

  it('fails open when its store is unreachable', async () => {
    const broken = limiter(
      { points: 1 },
      freshPrefix(),
      pool('postgres://nobody@127.0.0.1:9/none'),
    );
    expect(await broken.consume('key-c')).toBeNull();

    useApiRateLimiter(broken);
    const response = await list(first);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ratelimit-limit')).toBeNull();
  });

  it('reads its rate from the environment', () => {
    expect(rateLimitConfigFromEnv({})).toMatchObject({ points: 50, windowSeconds: 1, burst: 100 });
    expect(rateLimitConfigFromEnv({ API_RATE_LIMIT_PER_SECOND: '7' })).toMatchObject({
      points: 7,
      burst: 14,
    });
    expect(() => rateLimitConfigFromEnv({ API_RATE_LIMIT_PER_SECOND: '0' })).toThrow();
  });
});

describe('the deprecation hook', () => {
  it('marks a deprecated route with Deprecation, Sunset and Link', async () => {
    const since = new Date('2026-11-01T00:00:00Z');
    const sunset = new Date('2027-05-01T00:00:00Z');
    const route = apiRoute(
      'test.deprecated',
      async (_request, { requestId }) => jsonResponse({ ok: true }, 200, requestId),
      { deprecation: { since, sunset, link: 'https://example.test/docs/api#v2' } },
    );
    const response = await route(new Request('http://localhost/api/v1/old'), undefined);

    expect(response.headers.get('deprecation')).toBe(`@${since.getTime() / 1000}`);
    expect(response.headers.get('sunset')).toBe('Sat, 01 May 2027 00:00:00 GMT');
    expect(response.headers.get('link')).toBe(
      '<https://example.test/docs/api#v2>; rel="deprecation"',
    );
  });

  it('leaves a current route unmarked', async () => {
    const route = apiRoute('test.current', async (_request, { requestId }) =>
      jsonResponse({ ok: true }, 200, requestId),
    );
    const response = await route(new Request('http://localhost/api/v1/now'), undefined);

    expect(response.headers.get('deprecation')).toBeNull();
  });
});
