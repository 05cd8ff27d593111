import { afterEach, describe, expect, it } from 'vitest';
import {
  generateSigningKey,
  requireSigningKey,
  signMessage,
  verifyingKeys,
  verifyMessage,
} from '../../server/domain/audit/signing-key';

// Where the checkpoint key comes from: the environment, required on DATABASE_URL.

const saved = process.env.AUDIT_SIGNING_KEY;
afterEach(() => {
  if (saved === undefined) delete process.env.AUDIT_SIGNING_KEY;
  else process.env.AUDIT_SIGNING_KEY = saved;
});

function pemOf() {
  const key = generateSigningKey();

  return { key, pem: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

describe('the audit signing key', () => {
  it('is required from the environment when running on DATABASE_URL', () => {
    delete process.env.AUDIT_SIGNING_KEY;

    expect(() => requireSigningKey({ embedded: false })).toThrow(
      /AUDIT_SIGNING_KEY .* must be set/,
    );
  });

  it('reads a PEM whose line breaks are escaped, and is named by its public key', () => {
    const { key, pem } = pemOf();
    process.env.AUDIT_SIGNING_KEY = pem.replace(/\n/g, '\\n');

    const loaded = requireSigningKey({ embedded: false });

    expect(loaded.keyId).toBe(key.keyId);
    expect(loaded.keyId).toMatch(/^ed25519:[0-9a-f]{32}$/);
    expect([...verifyingKeys().keys()]).toContain(key.keyId);
  });

  it('refuses a key that does not parse', () => {
    process.env.AUDIT_SIGNING_KEY = 'not a key';

    expect(() => requireSigningKey({ embedded: false })).toThrow(/cannot be read/);
  });

  it('signs so that only its own public key verifies', () => {
    const { key } = pemOf();
    const signature = signMessage(key, 'checkpoint');

    expect(verifyMessage(key.publicKey, 'checkpoint', signature)).toBe(true);
    expect(verifyMessage(generateSigningKey().publicKey, 'checkpoint', signature)).toBe(false);
    expect(verifyMessage(key.publicKey, 'checkpoint 2', signature)).toBe(false);
  });
});
