import { describe, expect, it } from 'vitest';

import { candidateRuns, type PlannedTrip } from './candidate-trips';

// The runs slotting tries: the planned one, then the next runs of the same departure by its
// weekday rule in the site's time zone, however many the settings ask for.

const NY = 'America/New_York';

// 2026-12-11 is a Friday; New York is on EST (UTC-5): 18:00 local is 23:00 UTC.
const friday: PlannedTrip = {
  id: 't-fri',
  serviceDate: '2026-12-11',
  departsAt: new Date('2026-12-11T23:00:00Z'),
  cutoffAt: new Date('2026-12-11T21:00:00Z'),
  routeId: 'r1',
  routeCode: 'R1',
  rule: {
    id: 'eve',
    routeId: 'r1',
    weekdays: [1, 2, 3, 4, 5],
    departMinute: 1080,
    cutoffMinute: 960,
  },
};

describe('candidateRuns()', () => {
  it('gives the planned run, then the next service days, skipping the weekend', () => {
    const runs = candidateRuns(friday, NY, 3);

    expect(runs.map((r) => r.serviceDate)).toEqual(['2026-12-11', '2026-12-14', '2026-12-15']);
    expect(runs.map((r) => r.departureId)).toEqual(['eve', 'eve', 'eve']);
    expect(runs[1]).toMatchObject({
      departsAt: new Date('2026-12-14T23:00:00Z'),
      cutoffAt: new Date('2026-12-14T21:00:00Z'),
    });
  });

  it('gives the planned run alone when one trip is asked for', () => {
    expect(candidateRuns(friday, NY, 1)).toEqual([
      {
        departureId: 'eve',
        serviceDate: '2026-12-11',
        departsAt: friday.departsAt,
        cutoffAt: friday.cutoffAt,
      },
    ]);
  });
});
