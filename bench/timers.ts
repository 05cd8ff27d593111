import { benchDatabase } from './lib/setup';
import { PRODUCT_CONCURRENCY, PRODUCT_POLL_MS, timerBurst } from './lib/timers-run';

// `npx tsx bench/timers.ts`: 1,000 timers due at the same moment, on a fresh database (an
// embedded PostgreSQL of its own on loopback, or BENCH_DATABASE_URL's server), run by a worker
// with the product's settings. Target: p99 lateness <= 250 ms, no timer fired twice. Figures
// print as lines and, last, as one JSON line. Bounded: the burst gives up 60 s after it is due.
// BENCH_CONCURRENCY and BENCH_POLL_MS try other worker settings than the product's.
// Shortcoming: with the product's settings the target is not met (p99 0.75-2.8 s on a shared
// 2-core machine): graphile-worker 0.16 fetches one job per round trip, and an idle worker
// notices a future run_at only at its next poll. The mark can go when bench/timers.ts passes.

const TIMERS = Number(process.env.BENCH_TIMERS ?? 1000);
const TARGET_P99_MS = 250;

async function main(): Promise<number> {
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? PRODUCT_CONCURRENCY);
  const pollMs = Number(process.env.BENCH_POLL_MS ?? PRODUCT_POLL_MS);
  const database = await benchDatabase();
  try {
    const burst = await timerBurst(database.url, {
      count: TIMERS,
      leadMs: 3_000,
      timeoutMs: 60_000,
      settleMs: 2_000,
      concurrency,
      pollMs,
    });
    const pass = burst.fired === TIMERS && burst.duplicates === 0 && burst.p99Ms <= TARGET_P99_MS;
    const lines = [
      `${TIMERS} timers due at once, worker concurrency ${concurrency}, poll ${pollMs} ms`,
      `fired ${burst.fired}/${burst.timers}, duplicates ${burst.duplicates}`,
      `lateness min ${burst.minMs} ms, p50 ${burst.p50Ms} ms, p95 ${burst.p95Ms} ms, p99 ${burst.p99Ms} ms, max ${burst.maxMs} ms`,
      `target p99 <= ${TARGET_P99_MS} ms, none twice: ${pass ? 'met' : 'NOT met'}`,
    ];
    for (const line of lines) process.stdout.write(`${line}\n`);
    const figures = {
      bench: 'timers',
      concurrency,
      pollMs,
      ...burst,
      targetP99Ms: TARGET_P99_MS,
      pass,
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);

    return pass ? 0 : 1;
  } finally {
    await database.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench/timers: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
