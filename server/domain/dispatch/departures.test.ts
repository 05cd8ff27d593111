import { localDateIn } from '../../lib/business-time';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  departureProblems,
  isValidTimeZone,
  nextDeparture,
  type DepartureRule,
} from './departures';

const NY = 'America/New_York';
const LA = 'America/Los_Angeles';
const WEEKDAYS = [1, 2, 3, 4, 5];
const DAILY = [0, 1, 2, 3, 4, 5, 6];

function dep(id: string, weekdays: number[], depart: string, cutoff: string): DepartureRule {
  return {
    id,
    routeId: 'r1',
    weekdays,
    departMinute: minutes(depart),
    cutoffMinute: minutes(cutoff),
  };
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);

  return (h ?? 0) * 60 + (m ?? 0);
}

const at = (iso: string) => new Date(iso);
const iso = (d: Date | undefined) => d?.toISOString();

describe('nextDeparture() on a weekday schedule', () => {
  // 2026-12-07 is a Monday; New York is on EST (UTC-5).
  const evening = [dep('eve', WEEKDAYS, '18:00', '16:00')];

  it("gives today's departure when staged before the cut-off", () => {
    const p = nextDeparture(evening, NY, at('2026-12-07T20:00:00Z'));
    expect(p).toEqual({
      departureId: 'eve',
      routeId: 'r1',
      serviceDate: '2026-12-07',
      departsAt: at('2026-12-07T23:00:00Z'),
      cutoffAt: at('2026-12-07T21:00:00Z'),
    });
  });

  it('counts a stage exactly at the cut-off as made', () => {
    expect(nextDeparture(evening, NY, at('2026-12-07T21:00:00Z'))?.serviceDate).toBe('2026-12-07');
  });

  it("gives tomorrow's departure when staged a minute after the cut-off", () => {
    const p = nextDeparture(evening, NY, at('2026-12-07T21:01:00Z'));
    expect(p?.serviceDate).toBe('2026-12-08');
    expect(iso(p?.cutoffAt)).toBe('2026-12-08T21:00:00.000Z');
  });

  it('skips a weekend with no departures to Monday', () => {
    // Friday 2026-12-11 after the cut-off, and Saturday morning.
    expect(nextDeparture(evening, NY, at('2026-12-11T22:00:00Z'))?.serviceDate).toBe('2026-12-14');
    expect(nextDeparture(evening, NY, at('2026-12-12T14:00:00Z'))?.serviceDate).toBe('2026-12-14');
  });

  it('picks the earliest of several departures the stage makes', () => {
    const two = [dep('late', WEEKDAYS, '20:00', '19:00'), dep('noon', WEEKDAYS, '12:00', '10:00')];
    expect(nextDeparture(two, NY, at('2026-12-07T13:00:00Z'))?.departureId).toBe('noon');
    expect(nextDeparture(two, NY, at('2026-12-07T15:30:00Z'))?.departureId).toBe('late');
    expect(nextDeparture(two, NY, at('2026-12-08T00:30:00Z'))?.departureId).toBe('noon');
  });

  it("reaches today's weekday next week when it is the only day that runs", () => {
    const mondays = [dep('mon', [1], '18:00', '16:00')];
    expect(nextDeparture(mondays, NY, at('2026-12-07T22:00:00Z'))?.serviceDate).toBe('2026-12-14');
  });
});

describe('nextDeparture() across DST changes in New York', () => {
  const daily = [dep('d', DAILY, '18:00', '16:00')];

  it('moves the UTC cut-off an hour earlier on the spring-forward day', () => {
    // Saturday 2026-03-07 is EST (16:00 = 21:00Z); Sunday 2026-03-08 is EDT (16:00 = 20:00Z).
    const sat = nextDeparture(daily, NY, at('2026-03-07T20:59:00Z'));
    expect(iso(sat?.cutoffAt)).toBe('2026-03-07T21:00:00.000Z');
    const sun = nextDeparture(daily, NY, at('2026-03-07T21:30:00Z'));
    expect(sun?.serviceDate).toBe('2026-03-08');
    expect(iso(sun?.cutoffAt)).toBe('2026-03-08T20:00:00.000Z');
    expect(iso(sun?.departsAt)).toBe('2026-03-08T22:00:00.000Z');
  });

  it('misses the spring-forward cut-off that a fixed EST offset would call made', () => {
    // 20:30Z on 2026-03-08 is 16:30 EDT: after the cut-off.
    expect(nextDeparture(daily, NY, at('2026-03-08T20:30:00Z'))?.serviceDate).toBe('2026-03-09');
  });

  it('moves the UTC cut-off an hour later on the fall-back day', () => {
    // 20:30Z on 2026-11-01 is 15:30 EST: before the 16:00 cut-off (21:00Z).
    const p = nextDeparture(daily, NY, at('2026-11-01T20:30:00Z'));
    expect(p?.serviceDate).toBe('2026-11-01');
    expect(iso(p?.cutoffAt)).toBe('2026-11-01T21:00:00.000Z');
    expect(iso(p?.departsAt)).toBe('2026-11-01T23:00:00.000Z');
  });

  it('puts an ambiguous fall-back cut-off at its first, daylight-time occurrence', () => {
    const early = [dep('e', DAILY, '05:00', '01:30')];
    const p = nextDeparture(early, NY, at('2026-11-01T04:00:00Z'));
    expect(iso(p?.cutoffAt)).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(p?.departsAt)).toBe('2026-11-01T10:00:00.000Z');
  });

  it('moves a cut-off inside the spring-forward gap forward, never past the departure', () => {
    const gap = [dep('g', DAILY, '04:00', '02:30'), dep('h', DAILY, '03:00', '02:30')];
    const g = nextDeparture([gap[0]!], NY, at('2026-03-08T07:00:00Z'));
    expect(iso(g?.cutoffAt)).toBe('2026-03-08T07:30:00.000Z');
    const h = nextDeparture([gap[1]!], NY, at('2026-03-08T06:00:00Z'));
    expect(iso(h?.cutoffAt)).toBe(iso(h?.departsAt));
    expect(iso(h?.departsAt)).toBe('2026-03-08T07:00:00.000Z');
  });
});

describe('nextDeparture() uses the local date, not the UTC date', () => {
  // 06:30Z on Tuesday 2026-03-10 is 23:30 PDT on Monday 2026-03-09.
  const staged = at('2026-03-10T06:30:00Z');

  it("makes Monday night's departure in Los Angeles", () => {
    const p = nextDeparture([dep('night', [1], '23:45', '23:40')], LA, staged);
    expect(localDateIn(LA, staged)).toBe('2026-03-09');
    expect(p?.serviceDate).toBe('2026-03-09');
    expect(iso(p?.departsAt)).toBe('2026-03-10T06:45:00.000Z');
  });

  it("treats Tuesday's early departure as tomorrow's", () => {
    const p = nextDeparture([dep('am', [2], '08:00', '07:00')], LA, staged);
    expect(p?.serviceDate).toBe('2026-03-10');
    expect(iso(p?.cutoffAt)).toBe('2026-03-10T14:00:00.000Z');
  });
});

describe('departure validation', () => {
  it('rejects a cut-off after the departure and out-of-range values', () => {
    expect(departureProblems(dep('ok', [1], '18:00', '18:00'))).toEqual([]);
    expect(departureProblems(dep('bad', [1], '06:00', '22:00'))[0]).toContain('after departure');
    const wild: DepartureRule = { id: 'w', weekdays: [7], departMinute: 1440, cutoffMinute: -1 };
    expect(departureProblems(wild)).toHaveLength(3);
    expect(departureProblems({ ...wild, weekdays: [] })[0]).toBe('runs on no weekday');
  });

  it('skips invalid departures and returns null when none is left', () => {
    const bad = [dep('bad', DAILY, '06:00', '22:00')];
    expect(nextDeparture(bad, NY, at('2026-12-07T00:00:00Z'))).toBeNull();
    const mixed = [...bad, dep('ok', [3], '09:00', '08:00')];
    expect(nextDeparture(mixed, NY, at('2026-12-07T00:00:00Z'))?.departureId).toBe('ok');
    expect(nextDeparture([], NY, at('2026-12-07T00:00:00Z'))).toBeNull();
  });

  it('throws on an unknown time zone, which is site configuration and not a shipment fact', () => {
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone(NY)).toBe(true);
    expect(() => nextDeparture([], 'Mars/Olympus', new Date())).toThrow(RangeError);
  });
});

describe('nextDeparture() properties', () => {
  const schedule = fc.array(
    fc.record({
      weekdays: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
      departMinute: fc.integer({ min: 0, max: 1439 }),
      lead: fc.integer({ min: 0, max: 600 }),
    }),
    { minLength: 1, maxLength: 4 },
  );
  const instant = fc.date({
    min: new Date('2026-01-01T00:00:00Z'),
    max: new Date('2027-12-31T00:00:00Z'),
    noInvalidDate: true,
  });

  it('returns the first departure whose cut-off is at or after the stage', () => {
    fc.assert(
      fc.property(schedule, instant, fc.constantFrom(NY, LA, 'UTC'), (rows, t, tz) => {
        const deps = rows.map((r, i) => ({
          id: `d${i}`,
          weekdays: r.weekdays,
          departMinute: r.departMinute,
          cutoffMinute: Math.max(0, r.departMinute - r.lead),
        }));
        const p = nextDeparture(deps, tz, t);
        if (!p) throw new Error('a weekly schedule always runs within eight days');
        expect(p.cutoffAt.getTime()).toBeGreaterThanOrEqual(t.getTime());
        expect(p.departsAt.getTime()).toBeGreaterThanOrEqual(p.cutoffAt.getTime());
        expect(localDateIn(tz, p.departsAt)).toBe(p.serviceDate);
        // Staged exactly at its cut-off it is still this departure; a moment later it is not.
        expect(nextDeparture(deps, tz, p.cutoffAt)?.departsAt).toEqual(p.departsAt);
        const after = nextDeparture(deps, tz, new Date(p.cutoffAt.getTime() + 1));
        expect(after!.departsAt.getTime()).toBeGreaterThanOrEqual(p.departsAt.getTime());
      }),
    );
  });
});
