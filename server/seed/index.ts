import type { Db, Tx } from '../db/client';
import { DEMO_PASSWORD, DEMO_USERS, DEMO_WORLD_SETTING, type DemoUser } from '../auth/demo-users';
import { hashPassword } from '../auth/password';
import { AppError } from '../lib/errors';
import { logger } from '../lib/logger';
import { ensureDemoKey, writeDemoKey } from './demo-key';
import { seedDemoErpSubscription } from './demo-erp-subscription';
import { seedExpressSla } from './express-sla';
import { seedHistory } from './history';
import { DEFAULT_HISTORY_DAYS, seedMasterData } from './master-data';
import { DEFAULT_SEED, Rng } from './rng';

// The demo world, created once per database. Everything is written in one transaction that
// ends with the `demo.world` setting, so a crash leaves either nothing or the whole world, and
// an advisory lock makes a second seeder wait for the first and then find the marker.

export { DEMO_PASSWORD, DEMO_USERS, DEMO_WORLD_SETTING, type DemoUser };
export {
  seedMasterData,
  buildMasterData,
  DEFAULT_HISTORY_DAYS,
  type MasterDataOptions,
} from './master-data';
export { seedHistory, type HistoryOptions, type HistoryResult } from './history';
export { DEFAULT_TOTAL_SHIPMENTS } from './history-orders';
export { Rng, DEFAULT_SEED } from './rng';
export { demoKeyPath, DEMO_KEY_FILE } from './demo-key';
export type { MasterData } from './types';

const log = logger('seed');
export const DEMO_WORLD_VERSION = 1;
const LOCK_KEY = 'demo.world';

export interface SeedDemoWorldOptions {
  /** Days of history before `now`; default 90. */
  historyDays?: number;
  /** Shipments per full weekday over all sites; default: ~22,000 over the history. */
  shipmentsPerDay?: number;
  now?: Date;
  /** Where to write the simulator's API key (demo-api-key, mode 0600). */
  dataDir?: string;
  /** Seed of the generator; the same seed and `now` give the same world. */
  seed?: number;
}

export interface SeedSummary {
  /** False when the database already held the demo world. */
  created: boolean;
  seededAt: string;
  counts: Record<string, number>;
  /** Milliseconds per part; empty when nothing was created. */
  timingsMs: Record<string, number>;
  overCreditCustomers: string[];
  apiKeyFile?: string;
  demoUsers: readonly DemoUser[];
}

interface Marker {
  seededAt: string;
  version: number;
  now: string;
  historyDays: number;
  seed: number;
  overCreditCustomers: string[];
}

async function readMarker(db: Pick<Tx, 'setting'>): Promise<Marker | null> {
  const row = await db.setting.findUnique({ where: { key: DEMO_WORLD_SETTING } });

  return row ? (row.value as unknown as Marker) : null;
}

async function refuseNonEmpty(db: Pick<Tx, 'site'>): Promise<void> {
  const sites = await db.site.count();
  if (sites > 0) {
    throw new AppError(
      'CONFLICT',
      `the database holds ${sites} site(s) but no ${DEMO_WORLD_SETTING} setting; the demo world is only seeded into an empty database`,
    );
  }
}

/** The tables whose counts sum a world up, in the order people read them. */
export const HEADLINE_TABLES = [
  'sites',
  'customers',
  'skus',
  'carriers',
  'vehicles',
  'shipments',
  'shipment_events',
  'invoices',
  'exceptions',
] as const;

/** A few headline counts of a world seeded earlier. */
async function countWorld(db: Pick<Tx, '$queryRawUnsafe'>): Promise<Record<string, number>> {
  const select = HEADLINE_TABLES.map((t) => `(SELECT count(*)::int FROM "${t}") AS "${t}"`).join(
    ', ',
  );
  const [row] = await db.$queryRawUnsafe<Record<string, number>[]>(`SELECT ${select}`);

  return row ?? {};
}

async function existingWorld(db: Db, marker: Marker, dataDir?: string): Promise<SeedSummary> {
  const apiKeyFile = dataDir ? await ensureDemoKey(db, dataDir) : undefined;

  return {
    created: false,
    seededAt: marker.seededAt,
    counts: await countWorld(db),
    timingsMs: {},
    overCreditCustomers: marker.overCreditCustomers ?? [],
    ...(apiKeyFile ? { apiKeyFile } : {}),
    demoUsers: DEMO_USERS,
  };
}

async function time<T>(
  timings: Record<string, number>,
  part: string,
  fn: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  const result = await fn();
  timings[part] = Math.round(performance.now() - started);

  return result;
}

async function createWorld(
  tx: Tx,
  opts: SeedDemoWorldOptions,
  passwordHash: string,
  timings: Record<string, number>,
) {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext('${LOCK_KEY}'))`);
  if (await readMarker(tx)) return null;
  await refuseNonEmpty(tx);
  // A crash loses the whole transaction either way; not waiting for the WAL flush saves time.
  await tx.$executeRawUnsafe('SET LOCAL synchronous_commit = off');
  const now = opts.now ?? new Date();
  const historyDays = opts.historyDays ?? DEFAULT_HISTORY_DAYS;
  const seed = opts.seed ?? DEFAULT_SEED;
  const rng = new Rng(seed);
  const master = await time(timings, 'master data', () =>
    seedMasterData(tx, rng, { now, historyDays, passwordHash }),
  );
  const expressPolicies = await time(timings, 'express SLA', () => seedExpressSla(tx, master));
  const history = await time(timings, 'history', () =>
    seedHistory(tx, master, { shipmentsPerDay: opts.shipmentsPerDay, rng: rng.fork(7), timings }),
  );
  await seedDemoErpSubscription(tx);
  const apiKeyFile = opts.dataDir
    ? await writeDemoKey(opts.dataDir, master.partners.apiKey)
    : undefined;
  const marker: Marker = {
    seededAt: new Date().toISOString(),
    version: DEMO_WORLD_VERSION,
    now: now.toISOString(),
    historyDays,
    seed,
    overCreditCustomers: history.overCreditCustomers,
  };
  await tx.setting.create({ data: { key: DEMO_WORLD_SETTING, value: { ...marker } } });

  const counts: Record<string, number> = { ...master.counts, ...history.counts };
  counts.sla_policies = (counts.sla_policies ?? 0) + expressPolicies;

  return { marker, counts, apiKeyFile };
}

/**
 * Seeds the demo world into an empty database, once: a second call (or one racing the first)
 * finds the `demo.world` setting and returns at once, re-issuing the simulator's key file only
 * if it has gone missing. Refuses a database that holds sites but no marker.
 */
export async function seedDemoWorld(db: Db, opts: SeedDemoWorldOptions = {}): Promise<SeedSummary> {
  const found = await readMarker(db);
  if (found) return existingWorld(db, found, opts.dataDir);
  const timings: Record<string, number> = {};
  const started = performance.now();
  const passwordHash = await time(timings, 'hash password', () => hashPassword(DEMO_PASSWORD));
  const created = await db.$transaction((tx) => createWorld(tx, opts, passwordHash, timings), {
    timeout: 600_000,
    maxWait: 60_000,
  });
  if (!created) {
    const marker = await readMarker(db);
    if (!marker) throw new Error('demo world marker vanished while seeding');

    return existingWorld(db, marker, opts.dataDir);
  }
  timings.total = Math.round(performance.now() - started);
  log.info({ timingsMs: timings, shipments: created.counts.shipments }, 'demo world seeded');

  return {
    created: true,
    seededAt: created.marker.seededAt,
    counts: created.counts,
    timingsMs: timings,
    overCreditCustomers: created.marker.overCreditCustomers,
    ...(created.apiKeyFile ? { apiKeyFile: created.apiKeyFile } : {}),
    demoUsers: DEMO_USERS,
  };
}
