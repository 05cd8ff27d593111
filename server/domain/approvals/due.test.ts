import { describe, expect, it } from 'vitest';
import type { BusinessCalendarSpec } from '../../lib/business-time';
import { approvalDueAt } from './due';

const weekdays: BusinessCalendarSpec = {
  timeZone: 'America/Los_Angeles',
  workingHours: [1, 2, 3, 4, 5].map((weekday) => ({
    weekday,
    opensMinute: 480,
    closesMinute: 1080,
  })),
  holidays: { country: 'US', state: 'CA' },
};

describe('approval due time', () => {
  it('counts two business hours across a weekend', () => {
    // Friday 2026-12-04 17:00 PST is 01:00Z on Saturday.
    const due = approvalDueAt(weekdays, new Date('2026-12-05T01:00:00Z'));
    expect(due.toISOString()).toBe('2026-12-07T17:00:00.000Z'); // Monday 09:00 PST
  });

  it('skips a public holiday and starts a request raised at night at the next opening', () => {
    // Thursday 2026-12-24 20:00 PST; Christmas Day is closed, the weekend too.
    const due = approvalDueAt(weekdays, new Date('2026-12-25T04:00:00Z'));
    expect(due.toISOString()).toBe('2026-12-28T18:00:00.000Z'); // Monday 10:00 PST
  });

  it('is two wall-clock hours on a round-the-clock site', () => {
    const due = approvalDueAt(
      { timeZone: 'UTC', alwaysOpen: true, workingHours: [] },
      new Date('2026-12-05T01:00:00Z'),
    );
    expect(due.toISOString()).toBe('2026-12-05T03:00:00.000Z');
  });
});
