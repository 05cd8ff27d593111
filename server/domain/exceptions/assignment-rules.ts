import type { AssignmentStrategy } from '../../db/generated/enums';
import { isOpen, type BusinessCalendarSpec } from '../../lib/business-time';

// Who of a team gets a new exception: an active member on shift, by the team's strategy. Round
// robin walks the members in a fixed order (by id) from the last one assigned; least loaded
// takes whoever has the fewest active exceptions, ties broken in the same round-robin order.
//
// A shift is a working interval of the site's local week. A team without any shifts works its
// site's business calendar. Shifts keep the site's public holidays and closures (a closed site
// has nobody on shift) unless the site runs round the clock.

export interface ShiftRule {
  userId: string | null;
  weekday: number;
  startMinute: number;
  endMinute: number;
}

export function isOnShift(
  userId: string,
  teamShifts: readonly ShiftRule[],
  site: BusinessCalendarSpec,
  at: Date,
): boolean {
  if (teamShifts.length === 0) return isOpen(site, at);
  const own = teamShifts.filter((s) => s.userId === null || s.userId === userId);
  if (own.length === 0) return false;

  return isOpen(
    {
      timeZone: site.timeZone,
      workingHours: own.map((s) => ({
        weekday: s.weekday,
        opensMinute: s.startMinute,
        closesMinute: s.endMinute,
      })),
      holidays: site.alwaysOpen ? null : site.holidays,
      closures: site.alwaysOpen ? [] : site.closures,
    },
    at,
  );
}

export interface AssignmentChoice {
  strategy: AssignmentStrategy;
  /** Active members on shift. */
  candidates: readonly string[];
  lastAssigneeId: string | null;
  /** Active exceptions per candidate (least loaded only). */
  load?: ReadonlyMap<string, number>;
  /** Turns taken since the cursor by transactions not yet committed (see assignment.ts). */
  skip?: number;
}

/** The candidates in round-robin order: the one after the last assigned first. */
function roundRobinOrder(candidates: readonly string[], last: string | null): string[] {
  const sorted = [...new Set(candidates)].sort();
  if (!last) return sorted;
  const after = sorted.findIndex((id) => id > last);
  if (after < 0) return sorted;

  return [...sorted.slice(after), ...sorted.slice(0, after)];
}

export function chooseAssignee(choice: AssignmentChoice): string | null {
  const order = roundRobinOrder(choice.candidates, choice.lastAssigneeId);
  const skip = order.length > 0 ? (choice.skip ?? 0) % order.length : 0;
  if (skip > 0) order.push(...order.splice(0, skip));
  if (choice.strategy === 'ROUND_ROBIN') return order[0] ?? null;
  let best: string | null = null;
  let bestLoad = Infinity;
  for (const id of order) {
    const load = choice.load?.get(id) ?? 0;
    if (load < bestLoad) [best, bestLoad] = [id, load];
  }

  return best;
}
