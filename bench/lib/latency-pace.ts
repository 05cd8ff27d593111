// A steady offered load: every tick, the items due by the elapsed time (rate x elapsed) go out
// in one batch. Batches may overlap when one is slow, up to `maxInFlight`; past that the loop
// waits, and the achieved rate falls below the target instead of the batches piling up.

export interface PaceOptions {
  total: number;
  /** Items per second. */
  rate: number;
  tickMs: number;
  maxInFlight?: number;
}

export interface PaceResult {
  /** From the first batch's start to the last batch's return. */
  elapsedMs: number;
  batches: number;
  /** Ticks on which the loop had to wait for a batch in flight. */
  stalls: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function paced(
  options: PaceOptions,
  sendBatch: (from: number, count: number) => Promise<void>,
): Promise<PaceResult> {
  const { total, rate, tickMs, maxInFlight = 4 } = options;
  const inFlight = new Set<Promise<void>>();
  const failures: unknown[] = [];
  const started = performance.now();
  let next = 0;
  let batches = 0;
  let stalls = 0;
  for (let tick = 1; next < total && failures.length === 0; tick += 1) {
    // Due by the end of this tick, by the clock: a late tick catches up in one larger batch.
    const elapsed = performance.now() - started + tickMs;
    const due = Math.min(total, Math.round((elapsed / 1000) * rate));
    if (due > next && inFlight.size >= maxInFlight) {
      stalls += 1;
      await Promise.race(inFlight);
    }
    if (due > next) {
      const tracked: Promise<void> = sendBatch(next, due - next)
        .catch((error: unknown) => void failures.push(error))
        .finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      batches += 1;
      next = due;
    }
    await sleep(Math.max(0, started + tick * tickMs - performance.now()));
  }
  await Promise.all(inFlight);
  if (failures.length > 0) throw failures[0];

  return { elapsedMs: performance.now() - started, batches, stalls };
}
