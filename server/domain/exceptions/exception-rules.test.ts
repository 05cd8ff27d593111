import { describe, expect, it } from 'vitest';
import type { BusinessCalendarSpec } from '../../lib/business-time';
import { chooseAssignee, isOnShift, type ShiftRule } from './assignment-rules';
import { canActOnException, type ActingUser, type ExceptionAccess } from './permissions';
import { canTransition, nextStatus } from './status-machine';

// The exception's status machine, who may act on it, and who gets it.

describe('status machine', () => {
  it('allows the life cycle and nothing else', () => {
    expect(nextStatus('OPEN', 'acknowledge')).toBe('ACKNOWLEDGED');
    expect(nextStatus('ACKNOWLEDGED', 'wait')).toBe('WAITING');
    expect(nextStatus('WAITING', 'resume')).toBe('ACKNOWLEDGED');
    expect(nextStatus('WAITING', 'resolve')).toBe('RESOLVED');
    expect(nextStatus('RESOLVED', 'reopen')).toBe('OPEN');
    expect(nextStatus('RESOLVED', 'close')).toBe('CLOSED');
    expect(canTransition('CLOSED', 'reopen')).toBe(false);
    expect(canTransition('ACKNOWLEDGED', 'acknowledge')).toBe(false);
    expect(() => nextStatus('OPEN', 'close')).toThrow(/only from RESOLVED/);
  });
});

describe('canActOnException', () => {
  const exception: ExceptionAccess = {
    siteId: 'site-a',
    teamId: 'team-dispatch-a',
    ownerTeam: 'DISPATCH',
    assigneeId: 'u-assignee',
    escalatedTo: ['u-exec'],
  };
  const user = (over: Partial<ActingUser>): ActingUser => ({
    id: 'u-x',
    role: 'WAREHOUSE_SUPERVISOR',
    level: 'MEMBER',
    teamId: null,
    allSites: false,
    siteIds: ['site-a'],
    ...over,
  });

  it('lets the assignee and whoever it escalated to act, whatever their role or sites', () => {
    expect(canActOnException(user({ id: 'u-assignee', siteIds: [] }), exception)).toBe(true);
    expect(
      canActOnException(user({ id: 'u-exec', role: 'EXECUTIVE', siteIds: [] }), exception),
    ).toBe(true);
  });

  it('lets the owning role at the site, the site manager and admins act', () => {
    expect(canActOnException(user({ role: 'DISPATCHER' }), exception)).toBe(true);
    expect(canActOnException(user({ level: 'SITE_MANAGER' }), exception)).toBe(true);
    expect(canActOnException(user({ role: 'ADMIN' }), exception)).toBe(true);
    expect(canActOnException(user({ teamId: 'team-dispatch-a' }), exception)).toBe(true);
  });

  it('refuses other roles, other sites and executives it did not reach', () => {
    expect(canActOnException(user({}), exception)).toBe(false);
    expect(canActOnException(user({ role: 'DISPATCHER', siteIds: ['site-b'] }), exception)).toBe(
      false,
    );
    expect(canActOnException(user({ role: 'EXECUTIVE', allSites: true }), exception)).toBe(false);
  });
});

describe('assignment', () => {
  const site: BusinessCalendarSpec = {
    timeZone: 'America/Chicago',
    workingHours: [1, 2, 3, 4, 5].map((weekday) => ({
      weekday,
      opensMinute: 480,
      closesMinute: 1080,
    })),
    holidays: { country: 'US' },
  };
  // Monday 2026-12-07 in Chicago (UTC-6).
  const mondayAt = (hh: number) => new Date(Date.UTC(2026, 11, 7, hh + 6));
  const shifts: ShiftRule[] = [
    { userId: 'early', weekday: 1, startMinute: 360, endMinute: 840 },
    { userId: 'night', weekday: 1, startMinute: 1320, endMinute: 360 },
  ];

  it('knows who is on shift, overnight shifts included, and falls back to the calendar', () => {
    expect(isOnShift('early', shifts, site, mondayAt(7))).toBe(true);
    expect(isOnShift('night', shifts, site, mondayAt(7))).toBe(false);
    expect(isOnShift('night', shifts, site, mondayAt(23))).toBe(true);
    expect(isOnShift('nobody', shifts, site, mondayAt(10))).toBe(false);
    expect(isOnShift('anyone', [], site, mondayAt(10))).toBe(true);
    expect(isOnShift('anyone', [], site, mondayAt(20))).toBe(false);
    const team: ShiftRule[] = [{ userId: null, weekday: 1, startMinute: 0, endMinute: 1440 }];
    expect(isOnShift('anyone', team, site, mondayAt(20))).toBe(true);
  });

  it('walks round robin from the last one assigned, wrapping around', () => {
    const choice = { strategy: 'ROUND_ROBIN' as const, candidates: ['c', 'a', 'b'] };
    expect(chooseAssignee({ ...choice, lastAssigneeId: null })).toBe('a');
    expect(chooseAssignee({ ...choice, lastAssigneeId: 'a' })).toBe('b');
    expect(chooseAssignee({ ...choice, lastAssigneeId: 'c' })).toBe('a');
    // The last one went off shift: the next after them in order.
    expect(chooseAssignee({ ...choice, lastAssigneeId: 'bb' })).toBe('c');
    expect(chooseAssignee({ ...choice, candidates: [], lastAssigneeId: null })).toBeNull();
    // A turn taken by a transaction not yet committed: the one after it.
    expect(chooseAssignee({ ...choice, lastAssigneeId: 'a', skip: 1 })).toBe('c');
  });

  it('takes the least loaded, ties in round-robin order', () => {
    const load = new Map([
      ['a', 3],
      ['b', 1],
      ['c', 1],
    ]);
    const choice = { strategy: 'LEAST_LOADED' as const, candidates: ['a', 'b', 'c'], load };
    expect(chooseAssignee({ ...choice, lastAssigneeId: null })).toBe('b');
    expect(chooseAssignee({ ...choice, lastAssigneeId: 'b' })).toBe('c');
    expect(chooseAssignee({ ...choice, load: new Map(), lastAssigneeId: 'a' })).toBe('b');
  });
});
