// When the next attempt of a failed delivery runs: exponential from BASE_DELAY_MS, capped, with
// "equal jitter" (half the step fixed, half random) so that the retries of many deliveries that
// failed together, when a receiver went down, do not all come back in the same second.

export const BASE_DELAY_MS = 15_000;
export const MAX_DELAY_MS = 6 * 60 * 60 * 1000;

/** The delay after the `attempt`-th failed attempt (1-based); `random` in [0, 1). */
export function retryDelayMs(attempt: number, random: number = Math.random()): number {
  const step = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));

  return Math.round(step / 2 + (step / 2) * random);
}
