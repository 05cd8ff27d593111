import { describe, expect, it } from 'vitest';

import { x12Date, x12Instant, x12Time } from './x12-time';

describe('X12 dates and times', () => {
  it('reads CCYYMMDD and YYMMDD, refusing impossible dates', () => {
    expect(x12Date('20240229')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(x12Date('111214')).toEqual({ year: 2011, month: 12, day: 14 });
    expect(x12Date('991231')).toEqual({ year: 1999, month: 12, day: 31 });
    expect(x12Date('20230229')).toBeNull();
    expect(x12Date('CCYYMMDD')).toBeNull();
  });

  it('reads HHMM and HHMMSS with fractions dropped', () => {
    expect(x12Time('1534')).toEqual({ hour: 15, minute: 34, second: 0 });
    expect(x12Time('14242899')).toEqual({ hour: 14, minute: 24, second: 28 });
    expect(x12Time('2460')).toBeNull();
  });

  it.each([
    ['fixed offset code', '20191103', '1509', 'CS', '2019-11-03T15:09:00-06:00'],
    ['zone code on a daylight day', '20191102', '1625', 'PT', '2019-11-02T16:25:00-07:00'],
    ['zone code on a standard day', '20191104', '1625', 'PT', '2019-11-04T16:25:00-08:00'],
    ['universal time', '20260101', '0000', 'UT', '2026-01-01T00:00:00+00:00'],
    ['Newfoundland half hour', '20260101', '0900', 'NS', '2026-01-01T09:00:00-03:30'],
  ])('%s', (_, date, time, code, iso) => {
    expect(x12Instant(date, time, code, 'America/Chicago')).toEqual({ iso, inferred: null });
  });

  it('reads local time (LT or no code) in the site zone, and says it did', () => {
    expect(x12Instant('20191103', '1534', '', 'America/Toronto')).toEqual({
      iso: '2019-11-03T15:34:00-05:00',
      inferred: "time code (none): read in the site's zone America/Toronto",
    });
    expect(x12Instant('20260115', '', 'CT', 'America/Chicago')?.inferred).toBe(
      'no time of day: read as 00:00',
    );
  });

  it('resolves a wall time in the spring gap forward, as the business-time module does', () => {
    expect(x12Instant('20240310', '0230', 'ET', 'UTC')?.iso).toBe('2024-03-10T03:30:00-04:00');
  });
});
