import { canonicalJson } from './canonical-json';
import type { RecordedEvent, ReplayAnomaly } from './replay.types';

/** One distinct event of the set: recorded rows that repeat it are folded into it. */
export interface Entry {
  key: string;
  event: RecordedEvent;
  /** The first arrival among its rows: only the timeline's late marks look at it. */
  receivedAt: Date;
  rowIds: string[];
}

function keyOf(event: RecordedEvent): string {
  return `${event.partnerId ?? ''}\u0000${event.eventId}`;
}

function contentOf(event: RecordedEvent): string {
  return canonicalJson({ type: event.type, occurredAt: event.occurredAt, payload: event.payload });
}

/** Event-time order: occurredAt, then the sender's id, then the partner, so ties never depend on arrival. */
export function byEventTime(a: Entry, b: Entry): number {
  const at = a.event.occurredAt.getTime() - b.event.occurredAt.getTime();
  if (at !== 0) return at;

  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function groupRows(events: readonly RecordedEvent[]): Map<string, RecordedEvent[]> {
  const groups = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    const group = groups.get(keyOf(event));
    if (group) group.push(event);
    else groups.set(keyOf(event), [event]);
  }

  return groups;
}

/**
 * Folds rows with the same (partner, eventId) into one entry. The service already refuses a
 * reused id with other content; should such rows reach here anyway, the one whose content
 * sorts first stands (a choice that depends on the set alone) and the clash is reported.
 */
export function distinctEntries(
  events: readonly RecordedEvent[],
  anomalies: ReplayAnomaly[],
): Entry[] {
  const entries: Entry[] = [];
  for (const [key, rows] of groupRows(events)) {
    const contents = rows.map((row) => ({ row, content: contentOf(row) }));
    contents.sort((a, b) => (a.content < b.content ? -1 : a.content > b.content ? 1 : 0));
    const first = contents[0]!;
    if (contents.some((c) => c.content !== first.content)) {
      anomalies.push({
        eventId: first.row.eventId,
        code: 'CONFLICTING_DUPLICATE',
        lineNo: null,
        detail: 'rows with the same eventId carry different content',
      });
    }
    const receivedAt = Math.min(...rows.map((row) => row.receivedAt.getTime()));
    const rowIds = rows.map((row) => row.id).sort();
    entries.push({ key, event: first.row, receivedAt: new Date(receivedAt), rowIds });
  }

  return entries.sort(byEventTime);
}

/**
 * The keys of entries a void withdraws. A void names the sender's id and reaches events of the
 * same partner; a void from the UI (no partner) may name any partner's event. Voids themselves
 * cannot be voided: to reinstate an event, the sender sends it again under a new id.
 */
export function voidedKeys(entries: readonly Entry[], anomalies: ReplayAnomaly[]): Set<string> {
  const byEventId = new Map<string, Entry[]>();
  for (const entry of entries) {
    byEventId.set(entry.event.eventId, [...(byEventId.get(entry.event.eventId) ?? []), entry]);
  }
  const voided = new Set<string>();
  for (const { event: voiding } of entries) {
    if (voiding.type !== 'EVENT_VOIDED') continue;
    const report = (code: ReplayAnomaly['code'], detail: string) =>
      anomalies.push({ eventId: voiding.eventId, code, lineNo: null, detail });
    const targets = (byEventId.get(voiding.payload.voidedEventId) ?? []).filter(
      (target) => voiding.partnerId == null || target.event.partnerId === voiding.partnerId,
    );
    if (targets.length === 0)
      report('VOID_TARGET_UNKNOWN', `no event ${voiding.payload.voidedEventId}`);
    for (const target of targets) {
      if (target.event.type === 'EVENT_VOIDED') report('VOID_OF_VOID', 'a void cannot be voided');
      else voided.add(target.key);
    }
  }

  return voided;
}
