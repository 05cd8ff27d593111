import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { StartupError, startEmbeddedPostgres, type EmbeddedServer } from '../../server/db/embedded';

// The embedded PostgreSQL is the product's default database, so its lifecycle is tested on real
// servers of its own: each test has a temporary data directory and a free port in 55000-59000,
// never the machine's PostgreSQL at 5432. Every server started here is stopped, and any postgres
// left behind by a failed test is killed in afterAll.

const servers: EmbeddedServer[] = [];
const pids = new Set<number>();
const dataDirs: string[] = [];

afterAll(async () => {
  for (const server of servers) await server.stop().catch(() => undefined);
  for (const pid of pids) if (running(pid)) process.kill(pid, 'SIGKILL');
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-embedded-test-'));
  dataDirs.push(dir);

  return dir;
}

async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () =>
      probe.close(() => resolve(true)),
    );
  });
}

async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = 55000 + Math.floor(Math.random() * 4000);
    if (await isFree(port)) return port;
  }
  throw new Error('no free port in 55000-59000');
}

async function start(dataDir: string, port: number): Promise<EmbeddedServer> {
  const server = await startEmbeddedPostgres({ dataDir, port, database: 'ct_embedded' });
  servers.push(server);
  pids.add(postmasterPid(dataDir));

  return server;
}

/** The postmaster's pid, from the lock file PostgreSQL keeps in its data directory. */
function postmasterPid(dataDir: string): number {
  const lockFile = path.join(dataDir, 'pg', 'postmaster.pid');

  return Number(fs.readFileSync(lockFile, 'utf8').split('\n')[0]);
}

/** Alive and not a zombie (a postmaster we spawned stays one until Node reaps it). */
function running(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');

    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (running(pid)) {
    if (Date.now() > until) throw new Error(`process ${pid} still runs after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function sql<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

async function writeMarker(url: string, value: string): Promise<void> {
  await sql(url, 'CREATE TABLE IF NOT EXISTS marker (value text)');
  await sql(url, `INSERT INTO marker VALUES ('${value}')`);
}

async function markers(url: string): Promise<string[]> {
  return (await sql<{ value: string }>(url, 'SELECT value FROM marker ORDER BY value')).map(
    (row) => row.value,
  );
}

/** A connection whose backend is inside a statement that runs until it is killed. */
async function busyBackend(url: string): Promise<{ pid: number; done: Promise<unknown> }> {
  const client = new pg.Client({ connectionString: url });
  // The server side of this connection is killed under it: that is the point.
  client.on('error', () => undefined);
  await client.connect();
  const [row] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
  const done = client
    // A loop that never waits, so never notices that its postmaster died; it writes nothing.
    .query('DO $$ BEGIN LOOP END LOOP; END $$')
    .catch(() => undefined)
    .finally(() => client.end().catch(() => undefined));
  // Long enough for the statement to be under way.
  await new Promise((resolve) => setTimeout(resolve, 300));

  return { pid: row!.pid, done };
}

describe('the embedded PostgreSQL', () => {
  it('initialises a new data directory on first start and serves queries', async () => {
    const dataDir = tempDataDir();

    const server = await start(dataDir, await freePort());

    expect(fs.existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
    const [row] = await sql<{ db: string }>(server.url, 'SELECT current_database() AS db');
    expect(row?.db).toBe('ct_embedded');
    await server.stop();
  });

  it('starts in a data directory that only its owner may enter, as mkdtemp makes it', async () => {
    const dataDir = tempDataDir();
    // As root the server runs as another user, who must still reach <dataDir>/pg.
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);

    const server = await start(dataDir, await freePort());

    expect(await sql(server.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await server.stop();
  });

  it('keeps its data across a stop and a start', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    const first = await start(dataDir, port);
    await writeMarker(first.url, 'before restart');
    await first.stop();

    const second = await start(dataDir, port);

    expect(await markers(second.url)).toEqual(['before restart']);
    await second.stop();
  });

  it('takes over a server orphaned by an earlier run on its data directory', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    // The handle is dropped without stop(): the server is detached, so it outlives its starter,
    // as it does when the product is killed.
    const orphaned = await start(dataDir, port);
    await writeMarker(orphaned.url, 'written by the orphan');
    const orphanPid = postmasterPid(dataDir);

    const server = await start(dataDir, port);

    expect(running(orphanPid)).toBe(false);
    expect(postmasterPid(dataDir)).not.toBe(orphanPid);
    expect(await markers(server.url)).toEqual(['written by the orphan']);
    await server.stop();
  });

  it('recovers after its postmaster was killed', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    const crashed = await start(dataDir, port);
    await writeMarker(crashed.url, 'committed before the crash');
    const pid = postmasterPid(dataDir);
    process.kill(pid, 'SIGKILL');
    await waitForExit(pid);

    const server = await start(dataDir, port);

    expect(await markers(server.url)).toEqual(['committed before the crash']);
    const log = fs.readFileSync(path.join(dataDir, 'pg.log'), 'utf8');
    expect(log).toContain('automatic recovery in progress');
    await server.stop();
  });

  it('recovers after its postmaster was killed while a backend was busy', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    const crashed = await start(dataDir, port);
    await writeMarker(crashed.url, 'committed before the crash');
    // A backend inside a long statement outlives its postmaster, holding the old shared memory,
    // and PostgreSQL refuses to start beside it until it is gone.
    const busy = await busyBackend(crashed.url);
    const pid = postmasterPid(dataDir);
    process.kill(pid, 'SIGKILL');
    await waitForExit(pid);
    pids.add(busy.pid);

    const server = await start(dataDir, port);

    expect(running(busy.pid)).toBe(false);
    expect(await markers(server.url)).toEqual(['committed before the crash']);
    await busy.done;
    await server.stop();
  });

  it('fails fast with one line naming the port and CT_DB_PORT when the port is taken', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    const began = Date.now();

    const error = await startEmbeddedPostgres({ dataDir, port, database: 'ct_embedded' }).then(
      (server) => void servers.push(server),
      (reason: unknown) => reason,
    );

    await new Promise((resolve) => squatter.close(resolve));
    expect(error).toBeInstanceOf(StartupError);
    const message = (error as StartupError).message;
    expect(message).not.toContain('\n');
    expect(message).toContain(`port ${port}`);
    expect(message).toContain('CT_DB_PORT');
    expect(Date.now() - began).toBeLessThan(10_000);
    expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  });
});
