import { foldFacts } from './replay-facts';
import { distinctEntries, voidedKeys, type Entry } from './replay-entries';
import { carrierOf, highestOf, lateKeys, standingOf, type Standing } from './replay-milestones';
import {
  MILESTONES,
  type EventOutcome,
  type Milestone,
  type Milestones,
  type ReplayAnomaly,
  type ReplayInput,
  type ReplayResult,
} from './replay.types';

// The shipment's state as a pure function of its recorded events. Everything in the result but
// the LATE marks depends on the SET of events only; arrival order (receivedAt) is read for late
// marks alone. The rules:
// - Facts (picks, QC, packing, documents, deliveries, POD, cancellation) come from events that
//   are not voided, folded in event-time order (occurredAt, then eventId): see replay-facts.ts.
// - A milestone stands while an event claims it that is not voided, or while a higher milestone
//   stands on it: see replay-milestones.ts. A voided status event thus withdraws its milestone
//   only when nothing later stands, whenever the void arrives.
// - A status event is LATE when a higher milestone stood among the events received before it.
//   It is kept and shown marked, and the highest milestone never moves back for it. Its time
//   still counts like any other report of its milestone (the first report of a transport
//   milestone, the last of a pick or stage, see carrierOf), because a rule that ignored late
//   events would make the milestones depend on arrival order.

const TIME_FIELDS: Record<Milestone, Exclude<keyof Milestones, 'qcAt' | 'cancelledAt'>> = {
  RELEASED: 'releasedAt',
  PICKED: 'pickedAt',
  STAGED: 'packedStagedAt',
  LOADED: 'loadedAt',
  DEPARTED: 'departedAt',
  ARRIVED: 'arrivedAt',
  DELIVERED: 'deliveredAt',
  POD_RECEIVED: 'podReceivedAt',
};

function milestoneTimes(standing: Standing): Omit<Milestones, 'qcAt' | 'cancelledAt'> {
  const times = {} as Omit<Milestones, 'qcAt' | 'cancelledAt'>;
  for (const milestone of MILESTONES) {
    times[TIME_FIELDS[milestone]] = carrierOf(standing, milestone)?.event.occurredAt ?? null;
  }

  return times;
}

function outcomesOf(
  entries: readonly Entry[],
  standing: Standing,
  voided: ReadonlySet<string>,
  late: ReadonlySet<string>,
): EventOutcome[] {
  return entries.flatMap((entry) => {
    const disposition = voided.has(entry.key) ? 'VOIDED' : late.has(entry.key) ? 'LATE' : 'APPLIED';
    const milestones = MILESTONES.filter((milestone) => carrierOf(standing, milestone) === entry);

    return entry.rowIds.map((id) => ({
      id,
      eventId: entry.event.eventId,
      disposition,
      milestones,
    }));
  });
}

function byAnomaly(a: ReplayAnomaly, b: ReplayAnomaly): number {
  const left = `${a.eventId}\u0000${a.code}\u0000${a.lineNo ?? -1}\u0000${a.detail}`;
  const right = `${b.eventId}\u0000${b.code}\u0000${b.lineNo ?? -1}\u0000${b.detail}`;

  return left < right ? -1 : left > right ? 1 : 0;
}

export function replay(input: ReplayInput): ReplayResult {
  const anomalies: ReplayAnomaly[] = [];
  const entries = distinctEntries(input.events, anomalies);
  const voided = voidedKeys(entries, anomalies);
  const standing = standingOf(entries, voided);
  const counted = entries.filter((entry) => !voided.has(entry.key));
  const { facts, qcAt } = foldFacts(input.lines, counted, anomalies);
  const times = milestoneTimes(standing);

  return {
    milestones: { ...times, qcAt, cancelledAt: facts.cancelled?.at ?? null },
    milestone: highestOf(standing),
    stagedAt: times.packedStagedAt,
    cancelled: facts.cancelled !== null,
    facts,
    events: outcomesOf(entries, standing, voided, lateKeys(entries)),
    anomalies: anomalies.sort(byAnomaly),
  };
}

export type * from './replay.types';
export { MILESTONES } from './replay.types';
