import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  addBusinessMinutes,
  businessMinutesBetween,
  calendarProblems,
  isOpen,
  localDateIn,
  nextOpen,
  type BusinessCalendarSpec,
  type WorkingInterval,
} from './business-time';

// Business time across weekends, US holidays (a Monday holiday, a substitute day), New York's
// and Los Angeles' DST changes, overnight shifts and a round-the-clock cross-dock. Instants are
// written in UTC with the local time beside them.

const weekdays = (opens: number, closes: number, days = [1, 2, 3, 4, 5]): WorkingInterval[] =>
  days.map((weekday) => ({ weekday, opensMinute: opens, closesMinute: closes }));

const NY: BusinessCalendarSpec = {
  timeZone: 'America/New_York',
  workingHours: weekdays(480, 1020),
  holidays: { country: 'US' },
};
const LA: BusinessCalendarSpec = { ...NY, timeZone: 'America/Los_Angeles' };
/** Night shift 22:00-06:00 opening Monday to Friday. */
const NIGHT: BusinessCalendarSpec = { ...NY, workingHours: weekdays(1320, 360) };
const CROSS_DOCK: BusinessCalendarSpec = {
  timeZone: 'America/New_York',
  alwaysOpen: true,
  workingHours: [],
  holidays: { country: 'US' },
};
const at = (iso: string) => new Date(iso);

describe('open and closed', () => {
  it('is open from the opening minute up to, not including, the close', () => {
    // Monday 2026-12-07, EST (UTC-5).
    expect(isOpen(NY, at('2026-12-07T12:59:59Z'))).toBe(false); // 07:59:59
    expect(isOpen(NY, at('2026-12-07T13:00:00Z'))).toBe(true); // 08:00
    expect(isOpen(NY, at('2026-12-07T21:59:00Z'))).toBe(true); // 16:59
    expect(isOpen(NY, at('2026-12-07T22:00:00Z'))).toBe(false); // 17:00
    expect(isOpen(NY, at('2026-12-05T15:00:00Z'))).toBe(false); // Saturday 10:00
  });

  it('is closed on public holidays and explicit closures, not on observances', () => {
    expect(isOpen(NY, at('2026-01-19T15:00:00Z'))).toBe(false); // MLK Day, a Monday
    expect(isOpen(NY, at('2026-07-03T15:00:00Z'))).toBe(false); // Independence Day observed
    expect(isOpen(NY, at('2026-02-13T15:00:00Z'))).toBe(true); // Friday before Valentine's
    const closed = { ...NY, closures: ['2026-12-24'] };
    expect(isOpen(closed, at('2026-12-24T15:00:00Z'))).toBe(false);
    expect(isOpen(closed, at('2026-12-23T15:00:00Z'))).toBe(true);
  });

  it('lands a time during a holiday on the next working moment', () => {
    // Christmas 2026 is a Friday: next opening is Monday 28th 08:00 EST.
    expect(nextOpen(NY, at('2026-12-25T15:00:00Z'))).toEqual(at('2026-12-28T13:00:00Z'));
    expect(addBusinessMinutes(NY, at('2026-12-25T15:00:00Z'), 0)).toEqual(
      at('2026-12-28T13:00:00Z'),
    );
  });

  it('reports what is wrong with a calendar', () => {
    expect(calendarProblems(NY)).toEqual([]);
    expect(
      calendarProblems({
        timeZone: 'Mars/Olympus',
        workingHours: [{ weekday: 7, opensMinute: 1440, closesMinute: 0 }],
      }),
    ).toHaveLength(4);
    expect(() => isOpen({ timeZone: 'UTC', workingHours: [] }, new Date())).toThrow(/no working/);
  });
});

describe('adding business minutes', () => {
  it('carries over the weekend and a Monday holiday', () => {
    // Friday 2026-12-04 16:00 EST + 2 h = Monday 09:00.
    expect(addBusinessMinutes(NY, at('2026-12-04T21:00:00Z'), 120)).toEqual(
      at('2026-12-07T14:00:00Z'),
    );
    // Friday 2026-01-16 16:00 + 2 h skips MLK Monday: Tuesday 09:00.
    expect(addBusinessMinutes(NY, at('2026-01-16T21:00:00Z'), 120)).toEqual(
      at('2026-01-20T14:00:00Z'),
    );
  });

  it('skips a substitute day (July 4th 2026 is a Saturday, observed Friday the 3rd)', () => {
    // Thursday 2026-07-02 16:30 EDT + 60 min = Monday 07-06 08:30 EDT.
    expect(addBusinessMinutes(NY, at('2026-07-02T20:30:00Z'), 60)).toEqual(
      at('2026-07-06T12:30:00Z'),
    );
  });

  it('never ends on a close: a target used up at 17:00 lands on the next opening', () => {
    // Monday 16:00 + 60 = Tuesday 08:00, which is still 60 business minutes later.
    const due = addBusinessMinutes(NY, at('2026-12-07T21:00:00Z'), 60);
    expect(due).toEqual(at('2026-12-08T13:00:00Z'));
    expect(businessMinutesBetween(NY, at('2026-12-07T21:00:00Z'), due)).toBe(60);
  });

  it('counts real minutes across New York spring-forward and fall-back', () => {
    // Round the clock: Saturday noon + 1,440 business minutes is 24 real hours later.
    expect(addBusinessMinutes(CROSS_DOCK, at('2026-03-07T17:00:00Z'), 1440)).toEqual(
      at('2026-03-08T17:00:00Z'), // 13:00 EDT: the wall clock lost an hour
    );
    const earlyHours = { ...NY, workingHours: [{ weekday: 0, opensMinute: 0, closesMinute: 240 }] };
    // 00:00-04:00 lasts 3 real hours on the spring day and 5 on the autumn day.
    expect(
      businessMinutesBetween(earlyHours, at('2026-03-08T00:00:00Z'), at('2026-03-09T00:00:00Z')),
    ).toBe(180);
    expect(
      businessMinutesBetween(earlyHours, at('2026-11-01T00:00:00Z'), at('2026-11-02T00:00:00Z')),
    ).toBe(300);
  });

  it('resolves the repeated autumn hour to its first (daylight-time) occurrence', () => {
    // Opens 01:30 on Sundays. On 2026-11-01 01:30 happens at 05:30Z (EDT) and 06:30Z (EST).
    const opensAtHalfPastOne = {
      ...NY,
      holidays: null,
      workingHours: [{ weekday: 0, opensMinute: 90, closesMinute: 240 }],
    };
    expect(nextOpen(opensAtHalfPastOne, at('2026-11-01T04:00:00Z'))).toEqual(
      at('2026-11-01T05:30:00Z'),
    );
    expect(isOpen(opensAtHalfPastOne, at('2026-11-01T05:29:00Z'))).toBe(false);
    // Closes 04:00 EST = 09:00Z: 3.5 real hours.
    expect(
      businessMinutesBetween(opensAtHalfPastOne, at('2026-11-01T00:00:00Z'), at('2026-11-02Z')),
    ).toBe(210);
  });

  it('works in Los Angeles across its DST change', () => {
    // Friday 2026-03-06 16:00 PST + 2 h = Monday 03-09 09:00 PDT (16:00Z).
    expect(addBusinessMinutes(LA, at('2026-03-07T00:00:00Z'), 120)).toEqual(
      at('2026-03-09T16:00:00Z'),
    );
  });

  it('runs an overnight shift as two parts, each closed by its own date', () => {
    // Monday 2026-12-07 23:00 EST + 2 h = Tuesday 01:00.
    expect(addBusinessMinutes(NIGHT, at('2026-12-08T04:00:00Z'), 120)).toEqual(
      at('2026-12-08T06:00:00Z'),
    );
    // Saturday 05:00 (Friday's shift) + 2 h: 06:00 close, then Monday 22:00 + 1 h.
    expect(addBusinessMinutes(NIGHT, at('2026-12-05T10:00:00Z'), 120)).toEqual(
      at('2026-12-08T04:00:00Z'),
    );
    // MLK Monday 2026-01-19 is closed; Monday's shift spills into Tuesday, which is not.
    expect(isOpen(NIGHT, at('2026-01-20T04:00:00Z'))).toBe(false); // Monday 23:00
    expect(isOpen(NIGHT, at('2026-01-20T06:00:00Z'))).toBe(true); // Tuesday 01:00
  });

  it('keeps a cross-dock open through holidays and the night', () => {
    expect(isOpen(CROSS_DOCK, at('2026-12-25T08:00:00Z'))).toBe(true);
    expect(addBusinessMinutes(CROSS_DOCK, at('2026-12-26T03:00:00Z'), 60)).toEqual(
      at('2026-12-26T04:00:00Z'),
    );
  });
});

describe('a site west of UTC', () => {
  it("does not make an exception opened at 22:00 local due 'today' by the UTC date", () => {
    // Monday 2026-12-07 22:00 PST is already Tuesday 06:00 by UTC. Read with UTC hours
    // (08:00-17:00 UTC) it would be due Tuesday 08:00 UTC = Tuesday 00:00 in Los Angeles.
    const opened = at('2026-12-08T06:00:00Z');
    const due = addBusinessMinutes(LA, opened, 120);
    expect(due).toEqual(at('2026-12-08T18:00:00Z')); // Tuesday 10:00 PST
    expect(localDateIn('America/Los_Angeles', opened)).toBe('2026-12-07');
    expect(localDateIn('America/Los_Angeles', due)).toBe('2026-12-08');
    expect(isOpen(LA, due)).toBe(true);
    // Not open at 22:00 local, though 06:00 UTC is "before hours" by the server's clock.
    expect(isOpen(LA, opened)).toBe(false);
  });
});

describe('adding business days', () => {
  it('is the same local time on the next working day, not 24 working hours', () => {
    const monday10 = at('2026-12-07T15:00:00Z');
    expect(addBusinessDays(NY, monday10, 1)).toEqual(at('2026-12-08T15:00:00Z'));
    expect(businessMinutesBetween(NY, monday10, addBusinessDays(NY, monday10, 1))).toBe(540);
    // 24 working hours is almost three days later.
    expect(addBusinessMinutes(NY, monday10, 1440)).toEqual(at('2026-12-09T21:00:00Z'));
  });

  it('skips weekends and holidays, and counts from the next opening', () => {
    // Friday 2026-01-16 10:00 EST + 1 day: MLK Monday is no working day.
    expect(addBusinessDays(NY, at('2026-01-16T15:00:00Z'), 1)).toEqual(at('2026-01-20T15:00:00Z'));
    // Saturday 11:00 counts from Monday 08:00: due Tuesday 08:00.
    expect(addBusinessDays(NY, at('2026-12-05T16:00:00Z'), 1)).toEqual(at('2026-12-08T13:00:00Z'));
    expect(addBusinessDays(NY, at('2026-12-05T16:00:00Z'), 0)).toEqual(at('2026-12-07T13:00:00Z'));
  });

  it('skips a day on which the wall time is not open', () => {
    const shortMonday = {
      ...NY,
      workingHours: [
        ...weekdays(480, 1020, [2, 3, 4, 5]),
        { weekday: 1, opensMinute: 480, closesMinute: 720 },
      ],
    };
    // Friday 16:30 + 1 day: Monday closes at 12:00, so Tuesday 16:30; Friday 10:00 is Monday's.
    expect(addBusinessDays(shortMonday, at('2026-12-04T21:30:00Z'), 1)).toEqual(
      at('2026-12-08T21:30:00Z'),
    );
    expect(addBusinessDays(shortMonday, at('2026-12-04T15:00:00Z'), 1)).toEqual(
      at('2026-12-07T15:00:00Z'),
    );
    // Wednesday 22:00 on the night shift: Thursday, Friday, then Monday (Saturday only
    // carries Friday's shift until 06:00).
    expect(addBusinessDays(NIGHT, at('2026-12-10T03:00:00Z'), 3)).toEqual(
      at('2026-12-15T03:00:00Z'),
    );
  });

  it('keeps the wall time across DST: 23 real hours in spring, 25 in autumn', () => {
    expect(addBusinessDays(CROSS_DOCK, at('2026-03-07T17:00:00Z'), 1)).toEqual(
      at('2026-03-08T16:00:00Z'), // 12:00 EDT
    );
    expect(addBusinessDays(CROSS_DOCK, at('2026-10-31T16:00:00Z'), 1)).toEqual(
      at('2026-11-01T17:00:00Z'), // 12:00 EST
    );
    // Saturday 01:30 EDT + 1 day: Sunday's 01:30 happens twice; the first (EDT) is taken.
    expect(addBusinessDays(CROSS_DOCK, at('2026-10-31T05:30:00Z'), 1)).toEqual(
      at('2026-11-01T05:30:00Z'),
    );
  });
});

const CALENDARS: BusinessCalendarSpec[] = [
  NY,
  LA,
  NIGHT,
  CROSS_DOCK,
  {
    timeZone: 'Europe/Berlin',
    workingHours: [...weekdays(360, 720), ...weekdays(780, 1320)],
    holidays: { country: 'DE', state: 'BY' },
    closures: ['2026-12-24', '2026-12-31'],
  },
];
const calendar = fc.constantFrom(...CALENDARS);
const instant = fc.date({
  min: at('2026-01-01T00:00:00Z'),
  max: at('2027-12-31T00:00:00Z'),
  noInvalidDate: true,
});
const minutes = fc.integer({ min: 0, max: 6000 });

describe('properties', () => {
  it('adding m1 then m2 is adding m1 + m2', () => {
    fc.assert(
      fc.property(calendar, instant, minutes, minutes, (cal, a, m1, m2) => {
        const once = addBusinessMinutes(cal, a, m1 + m2);
        const twice = addBusinessMinutes(cal, addBusinessMinutes(cal, a, m1), m2);
        expect(twice).toEqual(once);
      }),
      { numRuns: 300 },
    );
  });

  it('the business minutes between a and a + m are m, and a + m is open', () => {
    fc.assert(
      fc.property(calendar, instant, minutes, (cal, a, m) => {
        const due = addBusinessMinutes(cal, a, m);
        expect(businessMinutesBetween(cal, a, due)).toBe(m);
        expect(isOpen(cal, due)).toBe(true);
        expect(due.getTime()).toBeGreaterThanOrEqual(a.getTime());
      }),
      { numRuns: 300 },
    );
  });

  it('business minutes add up over consecutive spans', () => {
    fc.assert(
      fc.property(calendar, instant, instant, instant, (cal, x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p.getTime() - q.getTime()) as [Date, Date, Date];
        const whole = businessMinutesBetween(cal, a, c);
        const parts = businessMinutesBetween(cal, a, b) + businessMinutesBetween(cal, b, c);
        expect(whole).toBeCloseTo(parts, 6);
        expect(businessMinutesBetween(cal, c, a)).toBeCloseTo(-whole, 6);
      }),
      { numRuns: 100 },
    );
  });

  it('the next opening is open, not earlier, and no business time away', () => {
    fc.assert(
      fc.property(calendar, instant, (cal, t) => {
        const next = nextOpen(cal, t);
        expect(isOpen(cal, next)).toBe(true);
        expect(next.getTime()).toBeGreaterThanOrEqual(t.getTime());
        expect(businessMinutesBetween(cal, t, next)).toBe(0);
        if (isOpen(cal, t)) expect(next).toEqual(t);
      }),
      { numRuns: 300 },
    );
  });

  it('a business day later is open, later, and one working day on', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 1, max: 10 }), (cal, t, days) => {
        const due = addBusinessDays(cal, t, days);
        expect(isOpen(cal, due)).toBe(true);
        expect(businessMinutesBetween(cal, t, due)).toBeGreaterThan(0);
        expect(due.getTime()).toBeGreaterThan(addBusinessDays(cal, t, days - 1).getTime());
      }),
      { numRuns: 200 },
    );
  });
});
