import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../server/db/embedded';
import { migrate } from '../../server/db/migrate';
import { prepareQueue } from '../../server/jobs/worker';

// Tests run against real PostgreSQL: the server at DATABASE_URL, or an embedded one of their own
// when it is unset. Each run, and each test file that asks for one, gets a database of its own,
// so that tests never touch the demo data or one another's rows.

export interface TestServer {
  adminUrl: string;
  stop(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  if (process.env.DATABASE_URL) return { adminUrl: process.env.DATABASE_URL, stop: async () => {} };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-test-pg-'));
  const server: EmbeddedServer = await startEmbeddedPostgres({
    dataDir,
    port: 55000 + Math.floor(Math.random() * 4000),
    database: 'postgres',
  });

  return {
    adminUrl: server.adminUrl,
    stop: async () => {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;

  return url.toString();
}

export async function createDatabase(adminUrl: string, prefix = 'ct_test'): Promise<string> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`).finally(() => client.end());

  return databaseUrl(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => client.end());
}

/** A new database with every migration applied and graphile-worker's schema in place. */
export async function createMigratedDatabase(adminUrl: string, prefix?: string): Promise<string> {
  const url = await createDatabase(adminUrl, prefix);
  await migrate(url);
  await prepareQueue(url);

  return url;
}
