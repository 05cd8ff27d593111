import { describe, expect, it } from 'vitest';
import { firingPace, MAX_LEAD_MS, MIN_LEAD_MS } from './firing-pace';

describe('the firing pace', () => {
  it('starts a burst earlier the more exceptions each lane has to write, within its bounds', () => {
    const pace = firingPace(1);

    expect(pace.leadMs(0, 4)).toBe(MIN_LEAD_MS);
    expect(pace.leadMs(1, 4)).toBe(62);
    expect(pace.leadMs(1_000, 4)).toBe(435);
    expect(pace.leadMs(1_000, 2)).toBeGreaterThan(pace.leadMs(1_000, 4));
    expect(pace.leadMs(1_000_000, 4)).toBe(MAX_LEAD_MS);
  });

  it('learns from the chunks it is told of, leaving out those too small to say', () => {
    const pace = firingPace(1);
    pace.observe(10, 5_000);
    expect(pace.leadMs(1_000, 4)).toBe(435);

    // 250 exceptions in 540 ms: 2 ms each beyond the fixed part, half weighed in.
    pace.observe(250, 540);
    expect(pace.leadMs(1_000, 4)).toBe(Math.round((40 + 250 * 1.5) * 1.5));
  });
});
