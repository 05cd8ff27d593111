import { describe, expect, it } from 'vitest';
import { BASE_DELAY_MS, MAX_DELAY_MS, retryDelayMs } from './backoff';
import { generateSecret, signWebhook, verifyWebhook } from './signing';

// The Standard Webhooks test vector (standard-webhooks' own libraries test against it), so that a
// partner using any of those libraries verifies what we sign.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

const headersOf = (h: Record<string, string>) => new Headers(h);
const at = (seconds: number) => new Date(seconds * 1000);

describe('signWebhook / verifyWebhook', () => {
  it('signs the Standard Webhooks test vector as its reference libraries do', () => {
    const signed = signWebhook(VECTOR.id, VECTOR.timestamp, VECTOR.body, [VECTOR.secret]);

    expect(signed).toEqual({
      'webhook-id': VECTOR.id,
      'webhook-timestamp': '1614265330',
      'webhook-signature': VECTOR.signature,
    });
    expect(
      verifyWebhook(headersOf({ ...signed }), VECTOR.body, [VECTOR.secret], {
        now: at(VECTOR.timestamp + 10),
      }),
    ).toEqual({ ok: true, id: VECTOR.id, timestamp: VECTOR.timestamp });
  });

  it('refuses a changed body, id or timestamp, another secret and a stale timestamp', () => {
    const secret = generateSecret();
    const signed = signWebhook('d-1', 1_000_000, '{"a":1}', [secret]);
    const now = { now: at(1_000_000) };
    const check = (h: Record<string, string>, body = '{"a":1}', secrets = [secret], o = now) =>
      verifyWebhook(headersOf(h), body, secrets, o);

    expect(check(signed, '{"a":2}')).toEqual({ ok: false, reason: 'no signature matches' });
    expect(check({ ...signed, 'webhook-id': 'd-2' }).ok).toBe(false);
    expect(check({ ...signed, 'webhook-timestamp': '1000001' }).ok).toBe(false);
    expect(check(signed, '{"a":1}', [generateSecret()]).ok).toBe(false);
    expect(check(signed, '{"a":1}', [secret], { now: at(1_000_000 + 301) })).toEqual({
      ok: false,
      reason: 'webhook-timestamp is outside the tolerance',
    });
    expect(check({ 'webhook-id': 'd-1' })).toEqual({
      ok: false,
      reason: 'missing webhook headers',
    });
  });

  it('carries one signature per secret during a rotation; either secret verifies', () => {
    const [current, previous] = [generateSecret(), generateSecret()];
    const signed = signWebhook('d-1', 1_000_000, '{}', [current, previous]);

    expect(signed['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [current, previous]) {
      expect(
        verifyWebhook(headersOf({ ...signed }), '{}', [secret], { now: at(1_000_000) }).ok,
      ).toBe(true);
    }
  });

  it('generates distinct whsec_ secrets of 32 random bytes', () => {
    const a = generateSecret();

    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(generateSecret()).not.toBe(a);
  });
});

describe('retryDelayMs', () => {
  it('doubles from the base, between half and all of each step, up to the cap', () => {
    expect(retryDelayMs(1, 0)).toBe(BASE_DELAY_MS / 2);
    expect(retryDelayMs(1, 0.999999)).toBeCloseTo(BASE_DELAY_MS, -1);
    expect(retryDelayMs(2, 0)).toBe(BASE_DELAY_MS);
    expect(retryDelayMs(4, 0.5)).toBe(BASE_DELAY_MS * 8 * 0.75);
    expect(retryDelayMs(40, 1)).toBe(MAX_DELAY_MS);
    expect(retryDelayMs(40, 0)).toBe(MAX_DELAY_MS / 2);
  });

  it('spreads failures of the same attempt over the step (jitter)', () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(3)));

    expect(delays.size).toBeGreaterThan(40);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(BASE_DELAY_MS * 2);
      expect(d).toBeLessThanOrEqual(BASE_DELAY_MS * 4);
    }
  });
});
