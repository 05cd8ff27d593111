import { byEventTime, voidedKeys, type Entry } from './replay-entries';
import { MILESTONES, type Milestone } from './replay.types';

// Milestones as a function of the event SET. A milestone stands when an event claims it and
// either that event is not voided or a higher milestone stands ("stands on it"): a delivery
// implies a departure, so voiding the departure cannot undo it while the delivery stands. The
// rule is evaluated from the top down, so it never looks at the order in which events arrived.

/** The milestones an event claims. A delivery that carries its proof of delivery claims both. */
export function claimsOf(entry: Entry): Milestone[] {
  const event = entry.event;
  switch (event.type) {
    case 'ORDER_RELEASED':
      return ['RELEASED'];
    case 'PICK_COMPLETED':
      return ['PICKED'];
    case 'PACKED_STAGED':
      return ['STAGED'];
    case 'LOADED':
    case 'DEPARTED':
    case 'ARRIVED':
    case 'POD_RECEIVED':
      return [event.type];
    case 'DELIVERED':
      return event.payload.pod ? ['DELIVERED', 'POD_RECEIVED'] : ['DELIVERED'];
    default:
      return [];
  }
}

/** Events the warehouse may redo (a re-pick, a re-stage): the latest report is the one that holds. */
const LATEST_WINS: ReadonlySet<Milestone> = new Set(['PICKED', 'STAGED']);

/** Per standing milestone, the events that carry it: its live claims, else its voided ones. */
export type Standing = Map<Milestone, Entry[]>;

export function standingOf(entries: readonly Entry[], voided: ReadonlySet<string>): Standing {
  const standing: Standing = new Map();
  let higherStands = false;
  for (const milestone of [...MILESTONES].reverse()) {
    const claims = entries.filter((entry) => claimsOf(entry).includes(milestone));
    const live = claims.filter((entry) => !voided.has(entry.key));
    const carriers = live.length > 0 ? live : higherStands ? claims : [];
    if (carriers.length === 0) continue;
    standing.set(milestone, [...carriers].sort(byEventTime));
    higherStands = true;
  }

  return standing;
}

/**
 * The event whose time a milestone takes. Transport milestones are reached once, so the first
 * report is the one (later ones are resends); picks and stages can be redone, so the last holds,
 * which also keeps the stage time the gate compares with the cut-off on the stage that counts.
 */
export function carrierOf(standing: Standing, milestone: Milestone): Entry | null {
  const carriers = standing.get(milestone);
  if (!carriers) return null;

  return (LATEST_WINS.has(milestone) ? carriers.at(-1) : carriers[0]) ?? null;
}

export function highestOf(standing: Standing): Milestone | null {
  return [...MILESTONES].reverse().find((milestone) => standing.has(milestone)) ?? null;
}

function rankOf(milestone: Milestone | null): number {
  return milestone === null ? -1 : MILESTONES.indexOf(milestone);
}

/**
 * Status events that arrived after a higher milestone already stood. "Already" means among the
 * events received strictly earlier, so the events of one batch (one receivedAt) are never late
 * against each other. Picks are facts and are never late: they count whenever they arrive.
 */
export function lateKeys(entries: readonly Entry[]): Set<string> {
  const late = new Set<string>();
  const status = entries.filter((entry) => isStatus(entry));
  // Only the arrivals that bring a status event need the standing of what came before them.
  for (const arrival of new Set(status.map((entry) => entry.receivedAt.getTime()))) {
    const before = entries.filter((entry) => entry.receivedAt.getTime() < arrival);
    const top = rankOf(highestOf(standingOf(before, voidedKeys(before, []))));
    for (const entry of status) {
      if (entry.receivedAt.getTime() !== arrival) continue;
      if (rankOf(claimsOf(entry)[0]!) < top) late.add(entry.key);
    }
  }

  return late;
}

function isStatus(entry: Entry): boolean {
  const own = claimsOf(entry)[0];

  return own !== undefined && own !== 'PICKED';
}
