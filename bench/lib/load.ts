import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

// A small closed-loop load generator over keep-alive connections: `concurrency` requests in
// flight, each one sent as soon as the last on its connection answered, bounded in count and
// time. Plain node:http, because fetch's per-request overhead would measure the client.

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface LoadOptions {
  baseUrl: string;
  concurrency: number;
  durationMs: number;
  maxRequests: number;
  next: (n: number) => LoadRequest;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  statuses: Record<string, number>;
}

function send(agent: http.Agent, base: URL, req: LoadRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = req.body === undefined ? undefined : Buffer.from(req.body);
    const request = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: req.method,
        path: req.path,
        headers: {
          ...req.headers,
          ...(body && { 'content-type': 'application/json', 'content-length': body.length }),
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;

  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const base = new URL(options.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const started = performance.now();
  const deadline = started + options.durationMs;
  let issued = 0;
  const lane = async () => {
    while (issued < options.maxRequests && performance.now() < deadline) {
      const request = options.next(issued++);
      const t0 = performance.now();
      const status = await send(agent, base, request).catch(() => 0);
      latencies.push(performance.now() - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);

  return {
    requests: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    statuses,
  };
}

// wrk (a C load generator), when it is installed: on a 2-core machine a Node load generator
// spends a core of its own sending small requests, which the server under test then lacks.
// Each request's body is `body` with every BODY_SERIAL in it replaced by the request's serial
// number, so that events sent through it carry ids of their own.

export const BODY_SERIAL = '__SERIAL__';

export interface WrkOptions {
  baseUrl: string;
  concurrency: number;
  durationMs: number;
  request: LoadRequest;
}

export function hasWrk(): boolean {
  return spawnSync('wrk', ['--version']).error === undefined;
}

const luaString = (text: string) => `"${text.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n')}"`;

function wrkScript(request: LoadRequest): string {
  const headers = {
    ...request.headers,
    ...(request.body !== undefined && { 'content-type': 'application/json' }),
  };
  const headerTable = Object.entries(headers)
    .map(([name, value]) => `[${luaString(name)}] = ${luaString(value)}`)
    .join(', ');
  const pieces = (request.body ?? '').split(BODY_SERIAL).map(luaString).join(', ');

  return `
local n = 0
local pieces = { ${pieces} }
local headers = { ${headerTable} }
request = function()
  n = n + 1
  local body = nil
  if ${request.body === undefined ? 'false' : 'true'} then
    body = table.concat(pieces, tostring(n))
  end
  return wrk.format(${luaString(request.method)}, ${luaString(request.path)}, headers, body)
end
`;
}

function millisOf(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (!m) return NaN;
  const scale = { us: 0.001, ms: 1, s: 1000, m: 60_000 }[m[2] as 'us' | 'ms' | 's' | 'm'];

  return Number(m[1]) * scale;
}

/** One wrk run of `request` over `concurrency` connections; statuses other than 2xx count as 0. */
export function runWrk(options: WrkOptions): Promise<LoadResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-wrk-'));
  const script = path.join(dir, 'request.lua');
  fs.writeFileSync(script, wrkScript(options.request));
  const args = [
    '-t1',
    `-c${options.concurrency}`,
    `-d${Math.max(1, Math.round(options.durationMs / 1000))}s`,
    '--latency',
    '-s',
    script,
    options.baseUrl,
  ];

  return new Promise((resolve, reject) => {
    execFile('wrk', args, (error, stdout) => {
      fs.rmSync(dir, { recursive: true, force: true });
      if (error) return reject(error);
      const requests = Number(/(\d+) requests in ([\d.]+)(\w+)/.exec(stdout)?.[1] ?? NaN);
      const seconds = millisOf(/\d+ requests in ([\d.]+\w+)/.exec(stdout)?.[1] ?? '') / 1000;
      const failed =
        Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0) +
        [...stdout.matchAll(/(connect|read|write|timeout) (\d+)/g)].reduce(
          (sum, m) => sum + Number(m[2]),
          0,
        );
      if (!Number.isFinite(requests) || !Number.isFinite(seconds)) {
        return reject(new Error(`unreadable wrk output:\n${stdout}`));
      }
      const at = (p: string) =>
        millisOf(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(stdout)?.[1] ?? '');
      resolve({
        requests,
        seconds,
        perSecond: requests / seconds,
        p50Ms: at('50'),
        p99Ms: at('99'),
        statuses: { '200': requests - failed, ...(failed > 0 && { '0': failed }) },
      });
    });
  });
}
