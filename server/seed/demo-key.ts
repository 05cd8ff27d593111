import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/client';
import { EventType } from '../db/generated/enums';
import { generateApiKey } from '../domain/integration/api-keys';
import { logger } from '../lib/logger';

// The simulator reads its partner key from <dataDir>/demo-api-key. Only a hash of the key is
// stored, so the file is the one place the key exists in clear: owner-only, written whole.

const log = logger('seed');
export const DEMO_KEY_FILE = 'demo-api-key';
export const SIMULATOR_PARTNER = 'SIM-WMS';
export const SIMULATOR_KEY_NAME = 'Simulator (demo)';

export function demoKeyPath(dataDir: string): string {
  return path.join(dataDir, DEMO_KEY_FILE);
}

/** Writes through a temporary file and a rename, so a reader never sees half a key. */
export async function writeDemoKey(dataDir: string, key: string): Promise<string> {
  await fs.mkdir(dataDir, { recursive: true });
  const target = demoKeyPath(dataDir);
  const temporary = `${target}.${process.pid}.tmp`;
  await fs.writeFile(temporary, `${key}\n`, { mode: 0o600 });
  await fs.chmod(temporary, 0o600);
  await fs.rename(temporary, target);

  return target;
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/**
 * On a database seeded earlier: the key file as it is, or, when it is gone (a new data
 * directory, a deleted file), a replacement key for the simulator, since the old one cannot be
 * recovered from its hash. The replaced key is revoked.
 */
export async function ensureDemoKey(db: Db, dataDir: string): Promise<string> {
  const target = demoKeyPath(dataDir);
  if (await exists(target)) return target;
  const partner = await db.partner.findUnique({
    where: { code: SIMULATOR_PARTNER },
    select: { id: true },
  });
  if (!partner) throw new Error(`the demo world has no ${SIMULATOR_PARTNER} partner`);
  const sites = await db.site.findMany({ select: { id: true } });
  const key = generateApiKey();
  const now = new Date();
  await db.$transaction([
    db.apiKey.updateMany({
      where: { partnerId: partner.id, name: SIMULATOR_KEY_NAME, revokedAt: null },
      data: { revokedAt: now },
    }),
    db.apiKey.create({
      data: {
        id: randomUUID(),
        partnerId: partner.id,
        name: SIMULATOR_KEY_NAME,
        prefix: key.prefix,
        secretHash: key.secretHash,
        eventTypes: Object.values(EventType),
        canSendEvents: true,
        canRead: true,
        canSendEdi: true,
        canSendEpcis: true,
        sites: { create: sites.map((s) => ({ siteId: s.id })) },
      },
    }),
  ]);
  log.warn(
    { prefix: key.prefix, file: target },
    'demo key file was missing; issued a replacement simulator key',
  );

  return writeDemoKey(dataDir, key.key);
}
