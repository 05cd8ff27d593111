import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Signatures after the Standard Webhooks convention (standardwebhooks.com): the secret is
// `whsec_` + base64 of 32 random bytes, the signed content is `<webhook-id>.<webhook-timestamp>.
// <body>`, and `webhook-signature` carries `v1,<base64 HMAC-SHA256>`, several separated by
// spaces while a rotated-out secret is still honoured.

export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

const SECRET_PREFIX = 'whsec_';
/** A receiver refuses a timestamp further than this from its clock (replay protection). */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

function keyOf(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('a webhook secret starts with whsec_');
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  if (key.length < 24) throw new Error('a webhook secret holds at least 24 bytes');

  return key;
}

function hmac(secret: string, id: string, timestamp: number, body: string): string {
  return createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
}

// A type, not an interface, so that it is a plain Record<string, string> to fetch's headers.
export type SignedHeaders = {
  [WEBHOOK_ID_HEADER]: string;
  [WEBHOOK_TIMESTAMP_HEADER]: string;
  [WEBHOOK_SIGNATURE_HEADER]: string;
};

/** The three headers, signed with every secret given (the current one first). */
export function signWebhook(
  id: string,
  timestamp: number,
  body: string,
  secrets: string[],
): SignedHeaders {
  if (secrets.length === 0) throw new Error('nothing to sign with');

  return {
    [WEBHOOK_ID_HEADER]: id,
    [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
    [WEBHOOK_SIGNATURE_HEADER]: secrets.map((s) => `v1,${hmac(s, id, timestamp, body)}`).join(' '),
  };
}

export type Verification =
  { ok: true; id: string; timestamp: number } | { ok: false; reason: string };

/** The receiver's check: a known secret signed this id, timestamp and body, recently enough. */
export function verifyWebhook(
  headers: { get(name: string): string | null },
  body: string,
  secrets: string[],
  options: { now?: Date; toleranceSeconds?: number } = {},
): Verification {
  const id = headers.get(WEBHOOK_ID_HEADER);
  const stamp = headers.get(WEBHOOK_TIMESTAMP_HEADER);
  const signatures = headers.get(WEBHOOK_SIGNATURE_HEADER);
  if (!id || !stamp || !signatures) return { ok: false, reason: 'missing webhook headers' };
  const timestamp = Number(stamp);
  if (!/^\d{1,12}$/.test(stamp)) return { ok: false, reason: 'webhook-timestamp is not a number' };
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(nowSeconds - timestamp) > tolerance) {
    return { ok: false, reason: 'webhook-timestamp is outside the tolerance' };
  }
  const given = signatures
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'));
  for (const secret of secrets) {
    const expected = Buffer.from(hmac(secret, id, timestamp, body), 'base64');
    if (given.some((g) => g.length === expected.length && timingSafeEqual(g, expected))) {
      return { ok: true, id, timestamp };
    }
  }

  return { ok: false, reason: 'no signature matches' };
}
