import { describe, expect, it } from 'vitest';
import { shardsFrom } from './batch-jobs';
import { workerConcurrency, workerRole } from './worker';

describe('worker settings from the environment', () => {
  it('defaults APPLY_SHARDS and WORKER_CONCURRENCY to 2 and takes whole numbers in range', () => {
    expect(shardsFrom(undefined)).toBe(2);
    expect(shardsFrom('')).toBe(2);
    expect(shardsFrom('1')).toBe(1);
    expect(shardsFrom('16')).toBe(16);
    expect(workerConcurrency(undefined)).toBe(2);
    expect(workerConcurrency('8')).toBe(8);
    expect(workerRole(undefined)).toBe('all');
    expect(workerRole('')).toBe('all');
    expect(workerRole('applies')).toBe('applies');
    expect(workerRole('others')).toBe('others');
  });

  it('refuses anything else, naming the setting and the value', () => {
    for (const bad of ['0', '-1', '1.5', 'two', '257'])
      expect(() => shardsFrom(bad)).toThrow(
        `APPLY_SHARDS must be a whole number from 1 to 256, got "${bad}"`,
      );
    for (const bad of ['0', '65', 'x'])
      expect(() => workerConcurrency(bad)).toThrow(`WORKER_CONCURRENCY must be a whole number`);
    for (const bad of ['both', 'APPLIES', ' all'])
      expect(() => workerRole(bad)).toThrow(
        `WORKER_ROLE must be all, applies or others, got "${bad}"`,
      );
  });
});
