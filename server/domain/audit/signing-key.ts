import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DATA_DIR, ensureDataDir } from '../../lib/runtime';

// The key that signs audit checkpoints lives outside the database, so that someone who can
// rewrite the audit tables cannot also re-sign them: AUDIT_SIGNING_KEY (an Ed25519 private key
// in PEM) where it is set, which production on DATABASE_URL requires; otherwise, for the embedded
// default only, a key generated once under .data/ (mode 0600) beside the database's own files.

export const SIGNING_KEY_FILE = 'audit-signing-key.pem';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
}

/** The key's fingerprint: SHA-256 of its SubjectPublicKeyInfo (DER), hex. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });

  return `ed25519:${createHash('sha256').update(der).digest('hex').slice(0, 32)}`;
}

/** A PEM from the environment may carry its line breaks as "\n" escapes. */
function pemText(raw: string): string {
  return raw.includes('\\n') ? raw.replace(/\\n/g, '\n') : raw;
}

export function signingKeyFromPem(pem: string): SigningKey {
  const privateKey = createPrivateKey(pemText(pem));
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(
      `AUDIT_SIGNING_KEY must be an Ed25519 key, not ${privateKey.asymmetricKeyType}`,
    );
  }
  const publicKey = createPublicKey(privateKey);

  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

export function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');

  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

function keyFile(): string {
  return path.join(DATA_DIR, SIGNING_KEY_FILE);
}

function embeddedKey(): SigningKey {
  const file = path.join(ensureDataDir(), SIGNING_KEY_FILE);
  if (fs.existsSync(file)) return signingKeyFromPem(fs.readFileSync(file, 'utf8'));
  const key = generateSigningKey();
  const pem = key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // wx: two processes starting at once must not each write a key of their own.
  try {
    fs.writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;

    return signingKeyFromPem(fs.readFileSync(file, 'utf8'));
  }

  return key;
}

/**
 * The signing key: AUDIT_SIGNING_KEY when set, else the embedded default's key file.
 * Shortcoming: only `npm start` enforces the environment key on DATABASE_URL (requireSigningKey);
 * `npm run worker` there without it falls back to a key file on its own disk. The mark can go
 * when scripts/worker.ts calls requireSigningKey({ embedded: false }) too.
 */
export function signingKey(): SigningKey {
  const pem = process.env.AUDIT_SIGNING_KEY;

  return pem ? signingKeyFromPem(pem) : embeddedKey();
}

/**
 * Called by `npm start` before anything runs: on DATABASE_URL the key must come from the
 * environment (a key file on an app server's disk is not what production should rely on), and a
 * key that does not parse stops the start instead of the first checkpoint.
 */
export function requireSigningKey(opts: { embedded: boolean }): SigningKey {
  if (!opts.embedded && !process.env.AUDIT_SIGNING_KEY) {
    throw new Error(
      'AUDIT_SIGNING_KEY (an Ed25519 private key, PEM) must be set when running on DATABASE_URL',
    );
  }
  try {
    return signingKey();
  } catch (error) {
    throw new Error(`AUDIT_SIGNING_KEY cannot be read: ${(error as Error).message}`);
  }
}

/**
 * The public keys a verifier trusts: the signing key's (from the environment or the key file,
 * never created here) and any in AUDIT_VERIFY_KEYS (PEM public keys, for keys rotated out).
 */
export function verifyingKeys(): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  const add = (publicKey: KeyObject) => keys.set(keyIdOf(publicKey), publicKey);
  if (process.env.AUDIT_SIGNING_KEY)
    add(signingKeyFromPem(process.env.AUDIT_SIGNING_KEY).publicKey);
  else if (fs.existsSync(keyFile()))
    add(signingKeyFromPem(fs.readFileSync(keyFile(), 'utf8')).publicKey);
  const extra = process.env.AUDIT_VERIFY_KEYS;
  for (const pem of extra ? pemText(extra).split(/(?=-----BEGIN PUBLIC KEY-----)/) : []) {
    if (pem.trim()) add(createPublicKey(pem));
  }

  return keys;
}

export function signMessage(key: SigningKey, message: string): string {
  return sign(null, Buffer.from(message), key.privateKey).toString('base64');
}

export function verifyMessage(publicKey: KeyObject, message: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(message), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
