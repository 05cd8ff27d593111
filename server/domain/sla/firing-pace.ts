// How far ahead of a due moment the alarm starts its sweep (sweep.ts, sweepAhead), so that the
// chunks are written by then and commit at the moment itself. Learnt from the sweeps this process
// ran: the time a chunk took to write, less a fixed part, per exception. Not longer than it
// needs: a chunk written ahead that is in a person's way rolls back (lock-watch.ts), and every
// exception of it is written again. Until it has seen a sweep, it assumes a slow machine.

/** A chunk's transaction and round trips, whatever its size. */
const FIXED_MS = 40;
/**
 * Per exception until measured: about what a shared 2-core machine took at load averages of
 * 12-15 (0.9-2.6 s a chunk of 500), some three times what it takes at 2.
 */
const DEFAULT_PER_EXCEPTION_MS = 3;
/** Chunks smaller than this say more about the fixed part than about the pace. */
const MIN_SAMPLE = 20;
const WEIGHT = 0.5;
const SAFETY = 1.5;
export const MIN_LEAD_MS = 50;
/** The most the alarm starts ahead, and so the longest a due exception stays locked before. */
export const MAX_LEAD_MS = 3_000;

export interface FiringPace {
  /** How long before the due moment a sweep of `exceptions` over `lanes` lanes should start. */
  leadMs(exceptions: number, lanes: number): number;
  /** A chunk of `exceptions` took `ms` to write, from its claim to its audit entries. */
  observe(exceptions: number, ms: number): void;
}

export function firingPace(perExceptionMs = DEFAULT_PER_EXCEPTION_MS): FiringPace {
  let pace = perExceptionMs;

  return {
    leadMs(exceptions, lanes) {
      if (exceptions <= 0) return MIN_LEAD_MS;
      const perLane = Math.ceil(exceptions / Math.max(1, lanes));
      const ms = (FIXED_MS + perLane * pace) * SAFETY;

      return Math.round(Math.min(MAX_LEAD_MS, Math.max(MIN_LEAD_MS, ms)));
    },
    observe(exceptions, ms) {
      if (exceptions < MIN_SAMPLE) return;
      const sample = Math.max(0, ms - FIXED_MS) / exceptions;
      pace = WEIGHT * sample + (1 - WEIGHT) * pace;
    },
  };
}
