import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

// Where the embedded default keeps its state, and the secrets it derives once.

export const DATA_DIR = path.resolve(process.env.CT_DATA_DIR ?? '.data');

export function ensureDataDir(): string {
  fs.mkdirSync(DATA_DIR, { recursive: true, mode: 0o700 });

  return DATA_DIR;
}

/** A secret generated on first use and kept (mode 0600) under the data directory. */
export function persistentSecret(name: string, bytes = 32): string {
  const file = path.join(ensureDataDir(), name);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = randomBytes(bytes).toString('base64url');
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });

  return secret;
}

export function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0 || value > 65_535) {
    throw new Error(`${name} must be a port number, got "${raw}"`);
  }

  return value;
}

/** "postgresql://user:***@host:5432/db" → "host:5432", for error messages that name the host. */
export function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);

    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
