import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { assertReachable } from '../server/db/connect';
import { createPrisma } from '../server/db/client';
import {
  DEFAULT_EMBEDDED_PORT,
  assertPortFree,
  startEmbeddedPostgres,
  type EmbeddedServer,
} from '../server/db/embedded';
import { migrate } from '../server/db/migrate';
import { requireSigningKey } from '../server/domain/audit/signing-key';
import {
  ALLOWED_HOSTS_ENV,
  allowListWith,
} from '../server/domain/integration/webhooks/target-policy';
import { prepareQueue, startWorker, type WorkerHandle } from '../server/jobs/worker';
import { logger } from '../server/lib/logger';
import { DATA_DIR, ensureDataDir, intFromEnv, persistentSecret } from '../server/lib/runtime';
import { seedDemoWorld } from '../server/seed';
import { demoErpUrl } from '../server/seed/demo-erp-subscription';
import { buildIsCurrent, stampBuild } from './lib/build-fingerprint';

// `npm start`: database (DATABASE_URL, or the embedded default under .data/), migrations, the
// demo world on the embedded default's first start, a build when the sources changed, then
// `next start` and a worker in this process. SIGINT/SIGTERM stop everything in order.

const log = logger('start');
const APP_PID_FILE = path.join(ensureDataDir(), 'app.pid');
const stops: (() => Promise<void>)[] = [];
let stopping = false;

async function main(): Promise<void> {
  const embedded = !process.env.DATABASE_URL;
  if (!embedded && !process.env.NEXTAUTH_SECRET) {
    throw new Error('NEXTAUTH_SECRET must be set when running on DATABASE_URL in production');
  }
  const port = intFromEnv('PORT', 3000);
  await assertPortFree(port, 'the app', 'PORT');
  const databaseUrl = await database();
  // Code in this process that uses the shared client (the seed) reaches the same database.
  process.env.DATABASE_URL = databaseUrl;
  await assertReachable(databaseUrl);
  requireSigningKey({ embedded });
  await migrate(databaseUrl);
  await prepareQueue(databaseUrl);
  if (embedded) await seedEmbedded(databaseUrl);
  // The demo ERP's receiver is this app on loopback, which webhooks are otherwise refused: the
  // embedded default lets exactly its host and port through, for the worker here and the app.
  if (embedded)
    process.env[ALLOWED_HOSTS_ENV] = allowListWith(process.env[ALLOWED_HOSTS_ENV], demoErpUrl());
  const env = appEnvironment(port, databaseUrl, embedded);
  ensureBuild(env);
  // All of a worker's work, whatever WORKER_ROLE says: it is for `npm run worker` processes.
  const worker: WorkerHandle = await startWorker(databaseUrl, undefined, 'all');
  stops.unshift(() => worker.stop());
  const next = startNext(port, env);
  stops.unshift(() => stopChild(next));
  log.info({ url: env.NEXTAUTH_URL }, 'control tower is starting');
}

async function database(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  ensureDataDir();
  const server: EmbeddedServer = await startEmbeddedPostgres({
    dataDir: DATA_DIR,
    port: intFromEnv('CT_DB_PORT', DEFAULT_EMBEDDED_PORT),
    database: 'control_tower',
  });
  stops.push(() => server.stop());

  return server.url;
}

async function seedEmbedded(databaseUrl: string): Promise<void> {
  const db = createPrisma(databaseUrl, 4);
  try {
    await seedDemoWorld(db, { dataDir: DATA_DIR });
  } finally {
    await db.$disconnect();
  }
}

function appEnvironment(port: number, databaseUrl: string, embedded: boolean): NodeJS.ProcessEnv {
  const secret =
    process.env.NEXTAUTH_SECRET ?? (embedded ? persistentSecret('auth-secret') : undefined);
  if (!secret)
    throw new Error('NEXTAUTH_SECRET must be set when running on DATABASE_URL in production');

  return {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    NEXTAUTH_SECRET: secret,
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
    CT_EMBEDDED: embedded ? '1' : '0',
  };
}

function ensureBuild(env: NodeJS.ProcessEnv): void {
  if (buildIsCurrent()) return;
  log.info('building the app (sources changed since the last build)');
  const result = spawnSync('node_modules/.bin/next', ['build'], { stdio: 'inherit', env });
  if (result.status !== 0) throw new Error('next build failed');
  stampBuild();
}

// Detached, so that a signal to our process group reaches only this supervisor, which stops the
// app, the worker and the database in order. Its pid is kept so that an app left behind by a
// killed supervisor is stopped on the next start instead of holding the port.
function startNext(port: number, env: NodeJS.ProcessEnv): ChildProcess {
  stopLeftoverApp();
  // `next start` in WEB_PROCESSES processes sharing the port (scripts/next-cluster.mjs).
  const child = spawn(process.execPath, ['scripts/next-cluster.mjs', 'start', '-p', String(port)], {
    stdio: 'inherit',
    env,
    detached: true,
  });
  fs.writeFileSync(APP_PID_FILE, String(child.pid));
  child.once('exit', (code, signal) => {
    if (stopping) return;
    log.error({ code, signal }, 'the app exited unexpectedly');
    void shutdown(1);
  });

  return child;
}

function stopLeftoverApp(): void {
  if (!fs.existsSync(APP_PID_FILE)) return;
  const pid = Number(fs.readFileSync(APP_PID_FILE, 'utf8'));
  const cmdline = fs.existsSync(`/proc/${pid}/cmdline`)
    ? fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    : '';
  if (cmdline.includes('next')) {
    log.warn({ pid }, 'stopping an app left running by an earlier start');
    process.kill(-pid, 'SIGKILL');
  }
  fs.rmSync(APP_PID_FILE, { force: true });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // The whole group: `next start` runs its server in a child process of its own.
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
  fs.rmSync(APP_PID_FILE, { force: true });
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const stop of stops)
    await stop().catch((error: unknown) => log.error({ err: error }, 'stop failed'));
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

main().catch(async (error: unknown) => {
  // One line, no stack: these are configuration problems a person fixes.
  process.stderr.write(`control tower: ${(error as Error).message}\n`);
  await shutdown(1);
});
