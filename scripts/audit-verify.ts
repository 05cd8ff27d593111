import fs from 'node:fs';
import path from 'node:path';
import { assertReachable } from '../server/db/connect';
import { createPrisma } from '../server/db/client';
import { DEFAULT_EMBEDDED_PORT, startEmbeddedPostgres } from '../server/db/embedded';
import { verifyingKeys } from '../server/domain/audit/signing-key';
import { describeVerification, verifyAuditLog } from '../server/domain/audit/verify';
import { DATA_DIR, intFromEnv } from '../server/lib/runtime';

// `npm run audit:verify`: checks the audit log on DATABASE_URL, or on the embedded default under
// .data/ (the running one, or started here for the check and stopped after). Exit code 0 when
// the log is sound, 1 when it is not or cannot be checked.

interface Target {
  url: string;
  stop(): Promise<void>;
}

async function reachable(url: string): Promise<boolean> {
  return assertReachable(url, 2_000).then(
    () => true,
    () => false,
  );
}

async function database(): Promise<Target> {
  const none = async () => {};
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: none };
  const passwordFile = path.join(DATA_DIR, 'pg-password');
  if (!fs.existsSync(passwordFile)) {
    throw new Error(`DATABASE_URL is not set and there is no embedded database in ${DATA_DIR}`);
  }
  const port = intFromEnv('CT_DB_PORT', DEFAULT_EMBEDDED_PORT);
  const password = encodeURIComponent(fs.readFileSync(passwordFile, 'utf8').trim());
  const url = `postgresql://postgres:${password}@127.0.0.1:${port}/control_tower`;
  // `npm start` is running it: check beside it rather than take its data directory over.
  if (await reachable(url)) return { url, stop: none };
  const server = await startEmbeddedPostgres({
    dataDir: DATA_DIR,
    port,
    database: 'control_tower',
  });

  return { url: server.url, stop: () => server.stop() };
}

async function main(): Promise<number> {
  const keys = verifyingKeys();
  if (keys.size === 0) {
    process.stderr.write('audit:verify: no AUDIT_SIGNING_KEY and no key file: signatures fail\n');
  }
  const target = await database();
  const db = createPrisma(target.url, 2);
  try {
    const started = performance.now();
    const result = await verifyAuditLog(db, keys);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    for (const line of describeVerification(result)) process.stdout.write(`${line}\n`);
    process.stdout.write(`checked in ${seconds} s\n`);

    return result.sound ? 0 : 1;
  } finally {
    await db.$disconnect();
    await target.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`audit:verify: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
