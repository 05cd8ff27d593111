import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BusinessCalendarSpec } from '../../lib/business-time';
import { escalationPlan, ladderSteps } from './ladder';
import { slaStateOf } from './sla-state';
import { DEFAULT_TARGETS, dueAfter, dueTimes, targetsOf } from './targets';

// The pure SLA rules: targets to due times, the ladder's levels and what a queue shows.

const NY: BusinessCalendarSpec = {
  timeZone: 'America/New_York',
  workingHours: [1, 2, 3, 4, 5].map((weekday) => ({
    weekday,
    opensMinute: 480,
    closesMinute: 1020,
  })),
  holidays: { country: 'US' },
};
const at = (iso: string) => new Date(iso);
const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

describe('targets', () => {
  it('uses the policy when there is one, else the severity default', () => {
    expect(targetsOf(null, 'HIGH')).toBe(DEFAULT_TARGETS.HIGH);
    const policy = {
      firstResponseValue: 30,
      firstResponseUnit: 'BUSINESS_MINUTES' as const,
      resolutionValue: 1,
      resolutionUnit: 'BUSINESS_DAYS' as const,
      escalationStepMinutes: 45,
    };
    expect(targetsOf(policy, 'LOW')).toEqual({
      firstResponse: { value: 30, unit: 'BUSINESS_MINUTES' },
      resolution: { value: 1, unit: 'BUSINESS_DAYS' },
      stepMinutes: 45,
    });
  });

  it('pushes both due times by the paused business minutes', () => {
    // Monday 2026-12-07 16:00 EST; 2 h first response, 1 day resolution, 90 min paused.
    const targets = targetsOf(
      {
        firstResponseValue: 120,
        firstResponseUnit: 'BUSINESS_MINUTES',
        resolutionValue: 1,
        resolutionUnit: 'BUSINESS_DAYS',
        escalationStepMinutes: 60,
      },
      'MEDIUM',
    );
    const start = at('2026-12-07T21:00:00Z');
    expect(dueTimes(NY, { startedAt: start, pausedMinutes: 0 }, targets)).toEqual({
      firstResponseDueAt: at('2026-12-08T14:00:00Z'), // Tuesday 09:00
      resolutionDueAt: at('2026-12-08T21:00:00Z'), // Tuesday 16:00
    });
    expect(dueTimes(NY, { startedAt: start, pausedMinutes: 90 }, targets)).toEqual({
      firstResponseDueAt: at('2026-12-08T15:30:00Z'),
      resolutionDueAt: at('2026-12-09T13:30:00Z'), // 30 min past Tuesday's close
    });
  });

  it('is never due sooner than a business minute, so a second-old exception is not breached', () => {
    fc.assert(
      fc.property(
        fc.date({ min: at('2026-01-01Z'), max: at('2027-12-31Z'), noInvalidDate: true }),
        fc.constantFrom(...SEVERITIES),
        fc.integer({ min: 0, max: 3 }),
        (opened, severity, value) => {
          const targets = {
            ...DEFAULT_TARGETS[severity],
            firstResponse: { value, unit: 'BUSINESS_MINUTES' as const },
          };
          const due = dueTimes(NY, { startedAt: opened, pausedMinutes: 0 }, targets);
          const view = slaStateOf(
            NY,
            {
              status: 'OPEN',
              acknowledgedAt: null,
              resolvedAt: null,
              waitingSince: null,
              ...due,
            },
            new Date(opened.getTime() + 1000),
          );
          expect(view.firstResponse.breached).toBe(false);
          expect(view.resolution.breached).toBe(false);
          expect(due.firstResponseDueAt.getTime() - opened.getTime()).toBeGreaterThanOrEqual(
            60_000,
          );
        },
      ),
      { numRuns: 200 },
    );
    expect(
      dueAfter(NY, at('2026-12-07T15:00:00Z'), { value: 0, unit: 'BUSINESS_MINUTES' }),
    ).toEqual(at('2026-12-07T15:01:00Z'));
  });
});

describe('the ladder', () => {
  const clock = {
    status: 'OPEN' as const,
    firstResponseDueAt: at('2026-12-07T16:00:00Z'), // Monday 11:00
    resolutionDueAt: at('2026-12-07T21:00:00Z'), // Monday 16:00
    stepMinutes: 120,
  };

  it('has the four levels, the later two a step and two steps after the resolution is due', () => {
    expect(ladderSteps(NY, clock)).toEqual([
      { level: 1, dueAt: clock.firstResponseDueAt, breach: 'FIRST_RESPONSE' },
      { level: 2, dueAt: clock.resolutionDueAt, breach: 'RESOLUTION' },
      { level: 3, dueAt: at('2026-12-08T14:00:00Z'), breach: null }, // Tuesday 09:00
      { level: 4, dueAt: at('2026-12-08T16:00:00Z'), breach: null },
    ]);
  });

  it('drops the first level once acknowledged and stops while waiting or resolved', () => {
    expect(ladderSteps(NY, { ...clock, status: 'ACKNOWLEDGED' }).map((s) => s.level)).toEqual([
      2, 3, 4,
    ]);
    for (const status of ['WAITING', 'RESOLVED', 'CLOSED'] as const) {
      expect(ladderSteps(NY, { ...clock, status })).toEqual([]);
    }
  });

  it('plans what is due now and what is next, leaving out what fired', () => {
    const now = at('2026-12-07T22:00:00Z');
    const plan = escalationPlan(NY, clock, new Set([1]), now);
    expect(plan.due.map((s) => s.level)).toEqual([2]);
    expect(plan.next?.level).toBe(3);
    expect(escalationPlan(NY, clock, new Set([1, 2, 3, 4]), now)).toEqual({ due: [], next: null });
  });
});

describe('what a queue shows', () => {
  const base = {
    status: 'OPEN' as const,
    acknowledgedAt: null,
    resolvedAt: null,
    waitingSince: null,
    firstResponseDueAt: at('2026-12-07T16:00:00Z'),
    resolutionDueAt: at('2026-12-08T16:00:00Z'),
  };

  it('counts down in business minutes and is breached only after the due time', () => {
    const view = slaStateOf(NY, base, at('2026-12-07T15:00:00Z'));
    expect(view.firstResponse).toMatchObject({ breached: false, remainingMinutes: 60 });
    expect(slaStateOf(NY, base, at('2026-12-07T16:00:00Z')).firstResponse.breached).toBe(false);
    const late = slaStateOf(NY, base, at('2026-12-07T16:30:00Z')).firstResponse;
    expect(late).toMatchObject({ breached: true, remainingMinutes: -30 });
  });

  it('stands still while waiting and judges a milestone by when it was reached', () => {
    const waiting = {
      ...base,
      status: 'WAITING' as const,
      acknowledgedAt: at('2026-12-07T15:30:00Z'),
      waitingSince: at('2026-12-07T15:30:00Z'),
    };
    const view = slaStateOf(NY, waiting, at('2026-12-10T15:00:00Z'));
    expect(view.paused).toBe(true);
    expect(view.firstResponse).toMatchObject({ breached: false, remainingMinutes: null });
    expect(view.resolution).toMatchObject({ breached: false, remainingMinutes: 570 });
  });
});
