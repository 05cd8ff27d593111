import { Pool } from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';

import { requireDatabaseUrl } from '../db/client';
import { logger } from '../lib/logger';

// Consecutive failed sign-ins per account, counted in PostgreSQL so that every app instance sees
// the same count: after `failures` wrong passwords within `windowSeconds`, the account is locked
// for `lockSeconds`, whatever password comes next. A successful sign-in clears the count. The
// counters live in the library's own table (created by it with CREATE TABLE IF NOT EXISTS), apart
// from the API's, so that the two never race to create one table.

const log = logger('sign-in-throttle');

export const SIGN_IN_ATTEMPTS_TABLE = 'sign_in_attempts';

export interface SignInThrottleConfig {
  failures: number;
  windowSeconds: number;
  lockSeconds: number;
}

export const DEFAULT_SIGN_IN_THROTTLE: SignInThrottleConfig = {
  failures: 5,
  windowSeconds: 15 * 60,
  lockSeconds: 15 * 60,
};

export type ThrottleVerdict = { locked: false } | { locked: true; retryAfterSeconds: number };

export class SignInThrottle {
  private readonly ready: Promise<RateLimiterPostgres>;

  constructor(
    pool: Pool,
    readonly config: SignInThrottleConfig = DEFAULT_SIGN_IN_THROTTLE,
  ) {
    this.ready = new Promise((resolve, reject) => {
      const limiter: RateLimiterPostgres = new RateLimiterPostgres(
        {
          storeClient: pool,
          storeType: 'pool',
          tableName: SIGN_IN_ATTEMPTS_TABLE,
          keyPrefix: 'sign-in',
          // One point over the limit, so that consume itself never blocks: fail() does, on the
          // failure that reaches the limit.
          points: config.failures + 1,
          duration: config.windowSeconds,
          clearExpiredByTimeout: true,
        },
        (error?: unknown) => (error ? reject(toError(error)) : resolve(limiter)),
      );
    });
    // A store that cannot be created shows on each call, where it fails open.
    this.ready.catch(() => undefined);
  }

  /** Whether the account is locked now. A failing store locks nobody out (and says so in the log). */
  async check(account: string): Promise<ThrottleVerdict> {
    try {
      const limiter = await this.ready;
      const res = await limiter.get(keyOf(account));
      if (res && res.consumedPoints >= this.config.failures) {
        return { locked: true, retryAfterSeconds: secondsOf(res) };
      }

      return { locked: false };
    } catch (error) {
      log.warn({ err: error }, 'sign-in throttle store failed; attempt let through');

      return { locked: false };
    }
  }

  /** Counts a failed attempt; the `failures`-th within the window locks the account. */
  async fail(account: string): Promise<ThrottleVerdict> {
    const key = keyOf(account);
    try {
      const limiter = await this.ready;
      const res = await limiter.consume(key);
      if (res.consumedPoints < this.config.failures) return { locked: false };
      const blocked = await limiter.block(key, this.config.lockSeconds);
      log.warn({ account: key }, 'account locked after repeated failed sign-ins');

      return { locked: true, retryAfterSeconds: secondsOf(blocked) };
    } catch (error) {
      if (error instanceof RateLimiterRes)
        return { locked: true, retryAfterSeconds: secondsOf(error) };
      log.warn({ err: error }, 'sign-in throttle store failed; failure not counted');

      return { locked: false };
    }
  }

  async succeed(account: string): Promise<void> {
    try {
      const limiter = await this.ready;
      await limiter.delete(keyOf(account));
    } catch (error) {
      log.warn({ err: error }, 'sign-in throttle store failed; count not cleared');
    }
  }
}

function keyOf(account: string): string {
  return account.trim().toLowerCase();
}

function secondsOf(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

const globalForThrottle = globalThis as unknown as { signInThrottle?: SignInThrottle };

/** The process's throttle, on a pool of its own so that counting never waits on queries. */
export function signInThrottle(): SignInThrottle {
  globalForThrottle.signInThrottle ??= new SignInThrottle(
    new Pool({ connectionString: requireDatabaseUrl(), max: 2 }),
  );

  return globalForThrottle.signInThrottle;
}
