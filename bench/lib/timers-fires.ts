// What the timer benchmark measures: when each timer's firing was seen committed, against the
// moment it was due, and how often each timer fired (a second firing of one key is a duplicate).

export interface FireLog {
  record(key: string, dueAt: number): void;
  /** Second firings found another way (e.g. a second audit entry for one level). */
  addDuplicates(n: number): void;
  fired(): number;
  summary(): FireSummary;
}

export interface FireSummary {
  timers: number;
  fired: number;
  duplicates: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The earliest firing's lateness: how long the worker took to notice the burst at all. */
  minMs: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);

  return sorted[Math.max(0, index)]!;
}

export function fireLog(timers: number): FireLog {
  const firstLateness = new Map<string, number>();
  let duplicates = 0;

  return {
    record(key, dueAt) {
      // Wall-clock time: run_at is a wall-clock moment, compared on the same machine.
      const lateness = Date.now() - dueAt;
      if (firstLateness.has(key)) duplicates++;
      else firstLateness.set(key, lateness);
    },
    addDuplicates(n) {
      duplicates += n;
    },
    fired: () => firstLateness.size,
    summary() {
      const sorted = [...firstLateness.values()].sort((a, b) => a - b);
      const round = (ms: number) => Math.round(ms * 10) / 10;

      return {
        timers,
        fired: firstLateness.size,
        duplicates,
        p50Ms: round(percentile(sorted, 50)),
        p95Ms: round(percentile(sorted, 95)),
        p99Ms: round(percentile(sorted, 99)),
        maxMs: round(sorted[sorted.length - 1] ?? Number.NaN),
        minMs: round(sorted[0] ?? Number.NaN),
      };
    },
  };
}
