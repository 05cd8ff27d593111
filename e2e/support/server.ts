import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const ROOT = process.cwd();
const NEXT = path.join(ROOT, 'node_modules', '.bin', 'next');
const SOURCES = [
  'app',
  'components',
  'server',
  'public',
  'proxy.ts',
  'next.config.js',
  'package-lock.json',
];

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;

  return fs
    .readdirSync(entry)
    .reduce(
      (newest, child) => Math.max(newest, newestMtime(path.join(entry, child))),
      stat.mtimeMs,
    );
}

/** Builds unless .next/BUILD_ID is newer than every source (CI builds just before the suite). */
export function ensureBuild(): void {
  const buildId = fs.statSync(path.join(ROOT, '.next', 'BUILD_ID'), { throwIfNoEntry: false });
  const newestSource = Math.max(...SOURCES.map((s) => newestMtime(path.join(ROOT, s))));
  if (buildId && buildId.mtimeMs > newestSource) return;

  const result = spawnSync(NEXT, ['build'], {
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
}

export async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', () =>
      reject(new Error(`port ${port} is in use; set E2E_PORT to a free one`)),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

/** `next start` itself (not through npx, whose death would leave next-server on the port). */
export function startServer(port: number, env: Record<string, string>): ChildProcess {
  const child = spawn(NEXT, ['start', '-p', String(port), '-H', '127.0.0.1'], {
    env: { ...process.env, ...env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });

  return child;
}

export async function waitForServer(url: string, child: ChildProcess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    const ok = await fetch(url, { redirect: 'manual' }).then(
      (res) => res.status < 500,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the app did not answer ${url} within ${timeoutMs} ms`);
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
