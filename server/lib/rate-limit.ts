import { Pool } from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';

import { prisma, requireDatabaseUrl } from '../db/client';
import { liveKeyId } from '../domain/integration/authenticate-partner';
import { logger } from './logger';

// Requests per partner key, counted in PostgreSQL so that every app instance shares one count.
// The table is the library's own store (`api_rate_limits`, created by it on first use with
// CREATE TABLE IF NOT EXISTS); it holds only counters that expire, so no migration owns it.

const log = logger('rate-limit');

export const RATE_LIMIT_TABLE = 'api_rate_limits';

export interface RateLimitConfig {
  /** Points a key may spend per window. */
  points: number;
  windowSeconds: number;
  /** Extra points over `burstWindowSeconds` once the steady rate is spent; 0 for none. */
  burst: number;
  burstWindowSeconds: number;
}

export interface RateLimitVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds until the key may send again (at least 1). */
  retryAfterSeconds: number;
}

export function rateLimitConfigFromEnv(
  env: Record<string, string | undefined> = process.env,
): RateLimitConfig {
  const points = positiveInt(env.API_RATE_LIMIT_PER_SECOND, 50, 'API_RATE_LIMIT_PER_SECOND');
  const burst = positiveInt(env.API_RATE_LIMIT_BURST, points * 2, 'API_RATE_LIMIT_BURST', true);

  return { points, windowSeconds: 1, burst, burstWindowSeconds: 10 };
}

function positiveInt(raw: string | undefined, fallback: number, name: string, zero = false) {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (zero ? 0 : 1)) {
    throw new Error(`${name} must be a whole number${zero ? '' : ' above 0'}, got "${raw}"`);
  }

  return value;
}

interface Stores {
  steady: RateLimiterPostgres;
  burst: RateLimiterPostgres | null;
}

type Verdicts = (RateLimitVerdict | null)[];

/**
 * Counts per key. Requests of one key that arrive while its count is being written are charged
 * together by the next write (`consume(key, n)`), each one point, in arrival order: the first
 * of them that the count leaves room for are allowed, the rest refused (and offered the burst,
 * as one request at a time would be). A hot key so costs one round trip per write, not one per
 * request, and a request at a quiet time is charged at once.
 */
export class ApiRateLimiter {
  readonly config: RateLimitConfig;
  private readonly ready: Promise<Stores>;
  private readonly waiting = new Map<string, ((verdict: RateLimitVerdict | null) => void)[]>();

  constructor(pool: Pool, config: RateLimitConfig, keyPrefix = 'api') {
    this.config = config;
    this.ready = createStores(pool, config, keyPrefix);
    // A failed table creation surfaces on each consume, where it fails open.
    this.ready.catch(() => undefined);
  }

  /** The verdict for one request of `key`, or null when the store failed (the caller lets it pass). */
  consume(key: string): Promise<RateLimitVerdict | null> {
    return new Promise((resolve) => {
      const queue = this.waiting.get(key);
      if (queue) {
        queue.push(resolve);

        return;
      }
      this.waiting.set(key, [resolve]);
      void this.drain(key);
    });
  }

  /** Charges the key's waiting requests, write after write, until none is left. */
  private async drain(key: string): Promise<void> {
    for (;;) {
      const queue = this.waiting.get(key)!;
      const batch = queue.splice(0, queue.length);
      const verdicts = await this.charge(key, batch.length);
      batch.forEach((resolve, i) => resolve(verdicts[i] ?? null));
      if (queue.length === 0) {
        this.waiting.delete(key);

        return;
      }
    }
  }

  private async charge(key: string, n: number): Promise<Verdicts> {
    try {
      const { steady, burst } = await this.ready;
      const { points } = this.config;
      const first = await settle(steady.consume(key, n));
      const allowed = allowedOf(first, points, n);
      const verdicts: Verdicts = Array.from({ length: allowed }, (_, i) =>
        verdict(true, points, first, points - (first.res.consumedPoints - n + i + 1)),
      );
      if (allowed === n) return verdicts;
      const over = n - allowed;
      const second = burst ? await settle(burst.consume(key, over)) : null;
      const bursting = second ? allowedOf(second, this.config.burst, over) : 0;
      const combined = second ? combine(first, second) : first;
      for (let i = 0; i < over; i++) {
        verdicts.push(verdict(i < bursting, points, combined, 0));
      }

      return verdicts;
    } catch (error) {
      log.warn({ err: error }, 'rate limit store failed; request let through');

      return [];
    }
  }
}

interface Settled {
  res: RateLimiterRes;
  refused: boolean;
}

/** The store's answer, refused or not; a failure of the store itself is thrown. */
async function settle(consumed: Promise<RateLimiterRes>): Promise<Settled> {
  try {
    return { res: await consumed, refused: false };
  } catch (error) {
    if (error instanceof RateLimiterRes) return { res: error, refused: true };
    throw error;
  }
}

/** How many of `n` requests, charged in order, fit under `points`. */
function allowedOf({ res, refused }: Settled, points: number, n: number): number {
  if (!refused) return n;
  // A key this process blocks in memory is refused without a count (consumedPoints 0).
  if (res.consumedPoints < n) return 0;

  return Math.min(n, Math.max(0, points - (res.consumedPoints - n)));
}

/** The steady count's remaining points, retried after the sooner of the two windows. */
function combine(steady: Settled, burst: Settled): Settled {
  const res = new RateLimiterRes(
    steady.res.remainingPoints,
    Math.min(steady.res.msBeforeNext, burst.res.msBeforeNext),
    steady.res.consumedPoints,
  );

  return { res, refused: steady.refused };
}

async function createStores(pool: Pool, config: RateLimitConfig, keyPrefix: string) {
  const common = { storeClient: pool, storeType: 'pool', tableName: RATE_LIMIT_TABLE };
  const steady = await new Promise<RateLimiterPostgres>((resolve, reject) => {
    const limiter: RateLimiterPostgres = new RateLimiterPostgres(
      {
        ...common,
        keyPrefix: `${keyPrefix}:rate`,
        points: config.points,
        duration: config.windowSeconds,
        clearExpiredByTimeout: true,
        // Once PostgreSQL has refused a key, this process refuses it from memory until the
        // window ends: a key hammering past its limit costs no round trip per request.
        inMemoryBlockOnConsumed: config.points + 1,
      },
      (error?: unknown) => (error ? reject(toError(error)) : resolve(limiter)),
    );
  });
  if (config.burst === 0) return { steady, burst: null };
  // Created after the first so that two CREATE TABLE IF NOT EXISTS never race each other.
  const burst = new RateLimiterPostgres({
    ...common,
    keyPrefix: `${keyPrefix}:burst`,
    points: config.burst,
    duration: config.burstWindowSeconds,
    tableCreated: true,
    inMemoryBlockOnConsumed: config.burst + 1,
  });

  return { steady, burst };
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function verdict(
  allowed: boolean,
  limit: number,
  { res }: Settled,
  remaining: number,
): RateLimitVerdict {
  return {
    allowed,
    limit,
    remaining: Math.max(0, remaining),
    retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  };
}

const globalForLimiter = globalThis as unknown as { apiRateLimiter?: ApiRateLimiter };

/**
 * The limiter's own small pool, so that counting never waits on queries. An idle connection that
 * breaks (a database restart) must not be an unhandled 'error' event, which ends the process:
 * the pool replaces it, and a count that fails meanwhile fails open.
 */
export function rateLimitPool(connectionString: string, max = 4): Pool {
  const pool = new Pool({ connectionString, max });
  pool.on('error', (error) => log.warn({ err: error }, 'rate limit connection lost'));

  return pool;
}

/** The process's limiter. */
export function apiRateLimiter(): ApiRateLimiter {
  globalForLimiter.apiRateLimiter ??= new ApiRateLimiter(
    rateLimitPool(requireDatabaseUrl()),
    rateLimitConfigFromEnv(),
  );

  return globalForLimiter.apiRateLimiter;
}

/** Replaces the process's limiter (tests, or a host that builds its own). */
export function useApiRateLimiter(limiter: ApiRateLimiter): void {
  globalForLimiter.apiRateLimiter = limiter;
}

/**
 * The id of the live API key in `Authorization: Bearer`, or null for none or an unknown one:
 * the limit is charged only to a key that authenticates. The lookup is the one the route's own
 * authentication makes next, through the same per-process key cache, so it costs no second query.
 */
export async function limitedKeyOf(authorization: string | null): Promise<string | null> {
  return liveKeyId(prisma, authorization);
}
