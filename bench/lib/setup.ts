import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { startEmbeddedPostgres } from '../../server/db/embedded';
import { createMigratedDatabase, dropDatabase } from '../../tests/setup/test-database';
import { stopProcessGroup } from './process-group';

// What the benchmark runs against: a fresh, migrated database (on BENCH_DATABASE_URL's server,
// or on an embedded PostgreSQL of its own) and, when a build exists, a `next start` of its own.

export interface Stoppable {
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export async function benchDatabase(): Promise<{ url: string } & Stoppable> {
  const given = process.env.BENCH_DATABASE_URL;
  if (given) {
    const url = await createMigratedDatabase(given, 'ct_bench');

    return { url, stop: () => dropDatabase(given, url) };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-bench-pg-'));
  const server = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    database: 'postgres',
  });
  const url = await createMigratedDatabase(server.adminUrl, 'ct_bench');

  return {
    url,
    stop: async () => {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function hasBuild(): boolean {
  return fs.existsSync(path.join(process.cwd(), '.next', 'BUILD_ID'));
}

async function waitForPing(
  baseUrl: string,
  child: ChildProcess,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    const ok = await fetch(`${baseUrl}/api/v1/ping`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`next start did not answer ${baseUrl}/api/v1/ping within ${timeoutMs} ms`);
}

/** `next start` of the current build on a free loopback port, against the bench database. */
export async function startApp(
  databaseUrl: string,
): Promise<{ baseUrl: string; pgid: number } & Stoppable> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // Detached into its own group: the web processes are children that must stop too. Started as
  // scripts/start.ts starts them (WEB_PROCESSES, one by default).
  const args = ['scripts/next-cluster.mjs', 'start', '-p', String(port), '-H', '127.0.0.1'];
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      DATABASE_URL: databaseUrl,
      NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? 'bench-only-secret',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      // The limit is charged on every request as in production, but set past what the bench
      // sends through its one key, so that it measures intake rather than 429s.
      API_RATE_LIMIT_PER_SECOND: process.env.API_RATE_LIMIT_PER_SECOND ?? '1000000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const stop = () => stopProcessGroup(child);
  try {
    await waitForPing(baseUrl, child);
  } catch (error) {
    await stop();
    throw error;
  }

  return { baseUrl, pgid: child.pid!, stop };
}
