import { createHash, randomBytes } from 'node:crypto';

// A partner key reads `ctk_<prefix>_<secret>`. The prefix is stored in clear to find the key and
// name it in lists and logs; only a SHA-256 of the whole key is kept (the secret has 192 bits, so
// a slow hash adds nothing, and intake must check a key in microseconds).
const KEY_PATTERN = /^ctk_([a-z0-9]{8})_([A-Za-z0-9_-]{32})$/;

export interface GeneratedApiKey {
  key: string;
  prefix: string;
  secretHash: string;
}

export function generateApiKey(): GeneratedApiKey {
  const prefix = randomBytes(6).toString('hex').slice(0, 8);
  const secret = randomBytes(24).toString('base64url');
  const key = `ctk_${prefix}_${secret}`;

  return { key, prefix, secretHash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The prefix of a well-formed key, or null when the string cannot be one of ours. */
export function parseApiKey(key: string): { prefix: string } | null {
  const match = KEY_PATTERN.exec(key);

  return match ? { prefix: match[1]! } : null;
}
