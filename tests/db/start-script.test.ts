import { spawn } from 'node:child_process';
import net from 'node:net';
import { describe, expect, it } from 'vitest';

// `npm start`'s configuration errors: one line naming what is wrong, a non-zero exit, no hang.

interface Run {
  code: number | null;
  stderr: string;
  ms: number;
}

function start(env: Record<string, string | undefined>): Promise<Run> {
  const began = Date.now();
  const child = spawn('node_modules/.bin/tsx', ['scripts/start.ts'], {
    env: { ...process.env, LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);

  return new Promise((resolve) => {
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr: stderr.trim(), ms: Date.now() - began });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('npm start refuses bad configuration clearly', () => {
  it('names the host of an unreachable DATABASE_URL and exits non-zero', async () => {
    const run = await start({
      DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/nothing',
      NEXTAUTH_SECRET: 'test-secret',
      PORT: String(await freePort()),
    });
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('cannot reach the database at 127.0.0.1:1');
  });

  it('refuses to run on DATABASE_URL without NEXTAUTH_SECRET', async () => {
    const run = await start({
      DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/nothing',
      NEXTAUTH_SECRET: undefined,
      PORT: String(await freePort()),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/NEXTAUTH_SECRET must be set/);
  });

  it('says which port is taken when the app port is held by another process', async () => {
    const holder = net.createServer();
    const port = await new Promise<number>((resolve) =>
      holder.listen(0, '127.0.0.1', () => resolve((holder.address() as net.AddressInfo).port)),
    );
    try {
      const run = await start({
        DATABASE_URL: 'postgresql://x@127.0.0.1:1/x',
        NEXTAUTH_SECRET: 's',
        PORT: String(port),
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `control tower: port ${port} for the app is in use by another process; set PORT to another port`,
      );
    } finally {
      holder.close();
    }
  });
});
