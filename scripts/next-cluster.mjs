// `node scripts/next-cluster.mjs <next start arguments>`: `next start` in WEB_PROCESSES processes
// (default 1) sharing one port through node:cluster. One Next.js process runs on one core, and
// the framework's own work per API request (~1 ms of CPU, the empty route's cost) is most of
// what a small request costs, so on a machine with cores to spare beyond the database's, more
// processes answer more requests. On the shared 2-core machine the benches run on, two processes
// cost 1.5-2.5 times the CPU per request of one and answered fewer, hence the default.
// The app holds no state of its own between requests (sessions are cookies, counts and caches
// live in PostgreSQL or are per process with their own invalidation), so any process can answer.
//
// The primary only hands out connections. A web process that dies takes the group down (exit 1),
// so that the supervisor above (scripts/start.ts, a service manager) sees what it would see of a
// single `next start`; SIGTERM and SIGINT stop the web processes and then the primary.

import cluster from 'node:cluster';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function processCount() {
  const raw = process.env.WEB_PROCESSES;
  if (raw === undefined || raw === '') return 1;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`WEB_PROCESSES must be a whole number above 0, got "${raw}"`);
  }

  return count;
}

const count = processCount();
cluster.setupPrimary({ exec: require.resolve('next/dist/bin/next'), args: process.argv.slice(2) });

let stopping = false;
const stop = (signal) => {
  if (stopping) return;
  stopping = true;
  for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

cluster.on('exit', (worker, code, signal) => {
  if (!stopping) {
    process.stderr.write(
      `next-cluster: web process ${worker.process.pid} exited (${signal ?? code})\n`,
    );
    process.exitCode = 1;
    stop('SIGTERM');
  }
  if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
});

for (let i = 0; i < count; i++) cluster.fork();
