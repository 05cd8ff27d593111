import { decimal } from '../../lib/money';
import { toBaseQuantity } from '../../lib/units';
import { volumeInM3, weightInKg } from './decimal-fields';
import { instantOf } from './instant';
import type { Entry } from './replay-entries';
import type {
  DocumentFact,
  LineFacts,
  PackingFacts,
  PodFact,
  RecordedEvent,
  ReturnFact,
  ReplayAnomaly,
  ReplayLine,
  ShipmentFacts,
} from './replay.types';
import type { EventOf } from './schema';

// Facts are folded in event-time order, whatever order they arrived in, so each rule below
// reads "the latest report by event time wins". A pick line is the CUMULATIVE quantity picked
// for that line at that time, not an increment: a resend under a new id then changes nothing,
// and voiding the latest report falls back to the one before it. Adapters whose source reports
// increments add them up before they produce canonical events.

interface Fold {
  order: ReadonlyMap<number, ReplayLine>;
  lines: Map<number, LineFacts>;
  packing: PackingFacts | null;
  documents: Map<string, DocumentFact>;
  pod: PodFact | null;
  damageNotes: string | null;
  cancelled: ShipmentFacts['cancelled'];
  returns: ReturnFact[];
  qcAt: Date | null;
  anomalies: ReplayAnomaly[];
}

type Recorded<T extends RecordedEvent['type']> = Extract<RecordedEvent, { type: T }>;

function emptyLine(line: ReplayLine): LineFacts {
  return {
    lineNo: line.lineNo,
    orderLineId: line.orderLineId,
    orderedQty: decimal(line.orderedQty).toFixed(),
    pickedQty: '0',
    pickedAsReported: null,
    lot: null,
    location: null,
    pickEventId: null,
    qcFailed: false,
    qcReason: null,
    deliveredQty: null,
  };
}

function report(
  fold: Fold,
  event: RecordedEvent,
  code: ReplayAnomaly['code'],
  lineNo: number,
  detail: string,
) {
  fold.anomalies.push({ eventId: event.eventId, code, lineNo, detail });
}

/** The facts of a line the order has, or null after reporting that it does not. */
function lineOf(fold: Fold, event: RecordedEvent, lineNo: number): LineFacts | null {
  const facts = fold.lines.get(lineNo);
  if (!facts) report(fold, event, 'UNKNOWN_LINE', lineNo, `line ${lineNo} is not on the order`);

  return facts ?? null;
}

/** A reported quantity in the SKU's base unit, or null after reporting the unknown unit. */
function baseQuantity(
  fold: Fold,
  event: RecordedEvent,
  reported: { lineNo: number; quantity: string; uom: string },
): string | null {
  const line = fold.order.get(reported.lineNo)!;
  const base = toBaseQuantity(
    decimal(reported.quantity),
    reported.uom,
    line.skuUnits,
    line.baseUom,
  );
  if (!base.ok) report(fold, event, 'UNKNOWN_UOM', reported.lineNo, base.message);

  return base.ok ? base.quantity.toFixed() : null;
}

function applyPick(fold: Fold, event: Recorded<'PICK_COMPLETED'>) {
  for (const reported of event.payload.lines) {
    const facts = lineOf(fold, event, reported.lineNo);
    const base = facts && baseQuantity(fold, event, reported);
    if (!facts || base === null) continue;
    facts.pickedQty = base;
    facts.pickedAsReported = { value: reported.quantity, unit: reported.uom };
    facts.lot = reported.lot ?? null;
    facts.location = reported.location ?? null;
    facts.pickEventId = event.eventId;
  }
}

/** A QC verdict without lines covers every line; a later verdict overrides an earlier one. */
function applyQc(fold: Fold, event: Recorded<'QC_FAILED' | 'QC_PASSED'>) {
  const failed = event.type === 'QC_FAILED';
  const lines = event.payload.lines
    ? event.payload.lines.map(({ lineNo }) => lineOf(fold, event, lineNo))
    : [...fold.lines.values()];
  for (const facts of lines) {
    if (!facts) continue;
    facts.qcFailed = failed;
    facts.qcReason = failed ? (event.payload.reason ?? null) : null;
  }
  fold.qcAt = event.occurredAt;
}

function applyDocument(fold: Fold, event: Recorded<'DOCUMENT_ATTACHED'>) {
  const { eventId, occurredAt, payload } = event;
  // A document for a line the order lacks must not pass for a whole-shipment document.
  const line = payload.lineNo === undefined ? null : lineOf(fold, event, payload.lineNo);
  if (payload.lineNo !== undefined && !line) return;
  // One document per kind, reference and line: a resend replaces it rather than doubling it.
  const key = `${payload.kind}\u0000${payload.reference}\u0000${payload.lineNo ?? ''}`;
  fold.documents.delete(key);
  fold.documents.set(key, {
    eventId,
    kind: payload.kind,
    reference: payload.reference,
    uri: payload.uri ?? null,
    lineNo: line?.lineNo ?? null,
    orderLineId: line?.orderLineId ?? null,
    occurredAt,
  });
}

function podOf(eventId: string, pod: EventOf<'POD_RECEIVED'>['payload']): PodFact {
  return { eventId, ...pod, signedAt: instantOf(pod.signedAt) };
}

function applyDelivery(fold: Fold, event: Recorded<'DELIVERED'>) {
  for (const reported of event.payload.lines ?? []) {
    const facts = lineOf(fold, event, reported.lineNo);
    const base = facts && baseQuantity(fold, event, reported);
    if (facts && base !== null) facts.deliveredQty = base;
  }
  if (event.payload.damageNotes !== undefined) fold.damageNotes = event.payload.damageNotes;
  if (event.payload.pod) fold.pod = podOf(event.eventId, event.payload.pod);
}

function packingOf({ eventId, payload }: Recorded<'PACKED_STAGED'>): PackingFacts {
  return {
    eventId,
    handlingUnits: payload.handlingUnits,
    weight: payload.weight,
    weightKg: weightInKg(payload.weight),
    volume: payload.volume,
    volumeM3: volumeInM3(payload.volume),
    dock: payload.dock,
  };
}

/** A return adds to what came back; it changes no line's picked or delivered quantity. */
function returnOf({ eventId, occurredAt, payload }: Recorded<'RETURN_RECEIVED'>): ReturnFact {
  return {
    eventId,
    at: occurredAt,
    lines: payload.lines.map((l) => ({
      skuCode: l.skuCode,
      quantity: l.quantity,
      uom: l.uom,
      lot: l.lot ?? null,
    })),
    disposition: payload.disposition ?? null,
    reason: payload.reason ?? null,
  };
}

function applyFact(fold: Fold, event: RecordedEvent) {
  switch (event.type) {
    case 'PICK_COMPLETED':
      return applyPick(fold, event);
    case 'QC_FAILED':
    case 'QC_PASSED':
      return applyQc(fold, event);
    case 'PACKED_STAGED':
      fold.packing = packingOf(event);
      return;
    case 'DOCUMENT_ATTACHED':
      return applyDocument(fold, event);
    case 'DELIVERED':
      return applyDelivery(fold, event);
    case 'POD_RECEIVED':
      fold.pod = podOf(event.eventId, event.payload);
      return;
    case 'RETURN_RECEIVED':
      fold.returns.push(returnOf(event));
      return;
    case 'CANCELLED':
      // The first cancellation is when it was cancelled; a second one says nothing new.
      fold.cancelled ??= {
        eventId: event.eventId,
        at: event.occurredAt,
        reason: event.payload.reason,
      };
      return;
  }
}

/**
 * Folds the facts of `counted` (the entries that are not voided, sorted by event time) over the
 * order's lines. Facts come only from events that are not voided, whatever milestone stands:
 * a voided delivery's quantities or a voided stage's weights no longer count even when the
 * milestone itself is kept because a later one stands on it.
 */
export function foldFacts(
  lines: readonly ReplayLine[],
  counted: readonly Entry[],
  anomalies: ReplayAnomaly[],
): { facts: ShipmentFacts; qcAt: Date | null } {
  const fold: Fold = {
    order: new Map(lines.map((line) => [line.lineNo, line])),
    lines: new Map(lines.map((line) => [line.lineNo, emptyLine(line)])),
    packing: null,
    documents: new Map(),
    pod: null,
    damageNotes: null,
    cancelled: null,
    returns: [],
    qcAt: null,
    anomalies,
  };
  for (const entry of counted) applyFact(fold, entry.event);
  const byLineNo = [...fold.lines.values()].sort((a, b) => a.lineNo - b.lineNo);
  const { packing, pod, damageNotes, cancelled, returns, qcAt } = fold;

  return {
    facts: {
      lines: byLineNo,
      packing,
      documents: [...fold.documents.values()],
      pod,
      damageNotes,
      cancelled,
      returns,
    },
    qcAt,
  };
}
