import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

import { startEmbeddedPostgres } from '../../server/db/embedded';
import { createMigratedDatabase, dropDatabase } from '../../tests/setup/test-database';
import type { WorkerRole } from '../../server/jobs/worker';
import { freePort, type Stoppable } from './setup';
import { stopProcessGroup } from './process-group';
import { generateKeyPairSync } from 'node:crypto';

function throwawaySigningKey(): string {
  return generateKeyPairSync('ed25519')
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

// What the decision-latency bench runs against: a fresh, migrated database on an embedded
// PostgreSQL of its own (loopback only, removed at the end) or on BENCH_DATABASE_URL's server,
// and any extra worker processes it starts. The embedded server runs with
// track_commit_timestamp, so that a decision's real commit time can be read beside decided_at.

export interface LatencyDatabase extends Stoppable {
  url: string;
  /** Whether pg_xact_commit_timestamp() answers on this server. */
  commitTimestamps: boolean;
  /** The embedded server's postmaster, whose children are its backends, for their CPU. */
  postgresPid?: number;
}

function postmasterPid(dataDir: string): number | undefined {
  const file = path.join(dataDir, 'pg', 'postmaster.pid');
  const pid = fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8').split('\n')[0]) : NaN;

  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function adminQuery(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();

  return client.query(sql).finally(() => client.end());
}

async function tracksCommits(url: string): Promise<boolean> {
  const { rows } = await adminQuery(url, 'SHOW track_commit_timestamp');

  return rows[0]?.track_commit_timestamp === 'on';
}

/** An embedded server started twice: track_commit_timestamp only takes effect at start. */
async function embeddedWithCommitTimestamps(dataDir: string) {
  const first = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    database: 'postgres',
  });
  try {
    await adminQuery(first.adminUrl, 'ALTER SYSTEM SET track_commit_timestamp = on');
    // BENCH_STATEMENTS=1: PostgreSQL's time per statement, nested ones included (the bench's
    // --statements table); loaded at start only, and not free, so off unless asked for.
    if (statementsShown() !== null) {
      await adminQuery(
        first.adminUrl,
        "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'",
      );
      await adminQuery(first.adminUrl, "ALTER SYSTEM SET pg_stat_statements.track = 'all'");
    }
  } finally {
    await first.stop();
  }

  return startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'postgres' });
}

export async function latencyDatabase(): Promise<LatencyDatabase> {
  const given = process.env.BENCH_DATABASE_URL;
  if (given) {
    const url = await createMigratedDatabase(given, 'ct_bench_latency');

    return {
      url,
      commitTimestamps: await tracksCommits(url),
      stop: () => dropDatabase(given, url),
    };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-bench-latency-pg-'));
  const stopAll = async (server?: Stoppable) => {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const server = await embeddedWithCommitTimestamps(dataDir);
    const url = await createMigratedDatabase(server.adminUrl, 'ct_bench_latency').catch(
      async (error: unknown) => {
        await server.stop();
        throw error;
      },
    );

    return {
      url,
      commitTimestamps: await tracksCommits(url),
      postgresPid: postmasterPid(dataDir),
      stop: () => stopAll(server),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * BENCH_STATEMENTS: how many of the costliest statements to show (1 means the default 25), or
 * null when unset: pg_stat_statements is then neither loaded nor read.
 */
export function statementsShown(): number | null {
  const n = Number(process.env.BENCH_STATEMENTS);
  if (!Number.isInteger(n) || n < 1) return null;

  return n === 1 ? 25 : n;
}

/** `npm run worker` as its own process group (tsx runs node in a child that must stop too). */
export function startWorkerProcess(
  databaseUrl: string,
  concurrency: number,
  role: WorkerRole = 'all',
): Stoppable & { pgid: number } {
  const child = spawn('node_modules/.bin/tsx', ['scripts/worker.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      WORKER_CONCURRENCY: String(concurrency),
      WORKER_ROLE: role,
      // A worker on DATABASE_URL needs a signing key for the audit log; the bench's is throwaway.
      AUDIT_SIGNING_KEY: process.env.AUDIT_SIGNING_KEY ?? throwawaySigningKey(),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const stop = () => stopProcessGroup(child);

  return { pgid: child.pid!, stop };
}

/** Until `count` workers have written their heartbeat (each process writes one at start). */
export async function waitForWorkers(
  pool: pg.Pool,
  count: number,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM worker_heartbeats',
    );
    if ((rows[0]?.n ?? 0) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${count} workers did not report within ${timeoutMs} ms`);
}
