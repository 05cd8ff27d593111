import { decimal } from '../../lib/money';
import { toBaseQuantity } from '../../lib/units';
import { volumeInM3, weightInKg } from './decimal-fields';
import { instantOf } from './instant';
import type { Entry } from './replay-entries';
import type {
  DocumentFact,
  LineFacts,
  PackingFacts,
  RecordedEvent,
  ReplayAnomaly,
  ReplayLine,
  ShipmentFacts,
} from './replay.types';

// Facts are folded in event-time order, whatever order they arrived in, so each rule below
// reads "the latest report by event time wins". A pick line is the CUMULATIVE quantity picked
// for that line at that time, not an increment: a resend under a new id then changes nothing,
// and voiding the latest report falls back to the one before it. Adapters whose source reports
// increments add them up before they produce canonical events.

interface FactState {
  lines: Map<number, LineFacts>;
  packing: PackingFacts | null;
  documents: Map<string, DocumentFact>;
  pod: ShipmentFacts['pod'];
  damageNotes: string | null;
  cancelled: ShipmentFacts['cancelled'];
  qcAt: Date | null;
}

type Report = (
  event: RecordedEvent,
  code: ReplayAnomaly['code'],
  lineNo: number,
  detail: string,
) => void;

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

/** The line and its quantity in base units, or null after reporting why it cannot be used. */
function resolveLine(
  state: FactState,
  order: ReadonlyMap<number, ReplayLine>,
  report: Report,
  event: RecordedEvent,
  reported: { lineNo: number; quantity: string; uom: string },
): { facts: LineFacts; base: string } | null {
  const line = order.get(reported.lineNo);
  const facts = state.lines.get(reported.lineNo);
  if (!line || !facts) {
    report(event, 'UNKNOWN_LINE', reported.lineNo, `line ${reported.lineNo} is not on the order`);
    return null;
  }
  const base = toBaseQuantity(
    decimal(reported.quantity),
    reported.uom,
    line.skuUnits,
    line.baseUom,
  );
  if (!base.ok) {
    report(event, 'UNKNOWN_UOM', reported.lineNo, base.message);
    return null;
  }

  return { facts, base: base.quantity.toFixed() };
}

function qcLines(
  state: FactState,
  lineNos: number[] | undefined,
  report: (lineNo: number) => void,
) {
  if (!lineNos) return [...state.lines.values()];

  return lineNos.flatMap((lineNo) => {
    const facts = state.lines.get(lineNo);
    if (!facts) report(lineNo);
    return facts ? [facts] : [];
  });
}

function applyFact(
  state: FactState,
  order: ReadonlyMap<number, ReplayLine>,
  report: Report,
  entry: Entry,
) {
  const event = entry.event;
  const unknownLine = (lineNo: number) =>
    report(event, 'UNKNOWN_LINE', lineNo, `line ${lineNo} is not on the order`);
  switch (event.type) {
    case 'PICK_COMPLETED':
      for (const reported of event.payload.lines) {
        const resolved = resolveLine(state, order, report, event, reported);
        if (!resolved) continue;
        Object.assign(resolved.facts, {
          pickedQty: resolved.base,
          pickedAsReported: { value: reported.quantity, unit: reported.uom },
          lot: reported.lot ?? null,
          location: reported.location ?? null,
          pickEventId: event.eventId,
        });
      }
      return;
    case 'QC_FAILED':
    case 'QC_PASSED': {
      const failed = event.type === 'QC_FAILED';
      const lineNos = event.payload.lines?.map((line) => line.lineNo);
      for (const facts of qcLines(state, lineNos, unknownLine)) {
        facts.qcFailed = failed;
        facts.qcReason = failed ? (event.payload.reason ?? null) : null;
      }
      state.qcAt = event.occurredAt;
      return;
    }
    case 'PACKED_STAGED':
      state.packing = packingOf(entry);
      return;
    case 'DOCUMENT_ATTACHED':
      return applyDocument(state, order, unknownLine, entry);
    case 'DELIVERED':
      return applyDelivery(state, order, report, entry);
    case 'POD_RECEIVED':
      state.pod = {
        eventId: event.eventId,
        ...event.payload,
        signedAt: instantOf(event.payload.signedAt),
      };
      return;
    case 'CANCELLED':
      // The first cancellation is when it was cancelled; a second one says nothing new.
      state.cancelled ??= {
        eventId: event.eventId,
        at: event.occurredAt,
        reason: event.payload.reason,
      };
      return;
  }
}

function applyDocument(
  state: FactState,
  order: ReadonlyMap<number, ReplayLine>,
  unknownLine: (lineNo: number) => void,
  entry: Entry,
) {
  if (entry.event.type !== 'DOCUMENT_ATTACHED') return;
  const { eventId, occurredAt, payload } = entry.event;
  const line = payload.lineNo === undefined ? null : order.get(payload.lineNo);
  // A document for a line the order lacks must not pass for a whole-shipment document.
  if (line === undefined) return unknownLine(payload.lineNo!);
  // One document per kind, reference and line: a resend replaces it rather than doubling it.
  const key = `${payload.kind}\u0000${payload.reference}\u0000${payload.lineNo ?? ''}`;
  state.documents.delete(key);
  state.documents.set(key, {
    eventId,
    kind: payload.kind,
    reference: payload.reference,
    uri: payload.uri ?? null,
    lineNo: line?.lineNo ?? null,
    orderLineId: line?.orderLineId ?? null,
    occurredAt,
  });
}

function applyDelivery(
  state: FactState,
  order: ReadonlyMap<number, ReplayLine>,
  report: Report,
  entry: Entry,
) {
  if (entry.event.type !== 'DELIVERED') return;
  const event = entry.event;
  for (const reported of event.payload.lines ?? []) {
    const resolved = resolveLine(state, order, report, event, reported);
    if (resolved) resolved.facts.deliveredQty = resolved.base;
  }
  if (event.payload.damageNotes !== undefined) state.damageNotes = event.payload.damageNotes;
  const pod = event.payload.pod;
  if (pod) state.pod = { eventId: event.eventId, ...pod, signedAt: instantOf(pod.signedAt) };
}

function packingOf(entry: Entry | null): PackingFacts | null {
  if (!entry || entry.event.type !== 'PACKED_STAGED') return null;
  const { eventId, payload } = entry.event;

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
  const order = new Map(lines.map((line) => [line.lineNo, line]));
  const state: FactState = {
    lines: new Map(lines.map((line) => [line.lineNo, emptyLine(line)])),
    packing: null,
    documents: new Map(),
    pod: null,
    damageNotes: null,
    cancelled: null,
    qcAt: null,
  };
  const report: Report = (event, code, lineNo, detail) =>
    anomalies.push({ eventId: event.eventId, code, lineNo, detail });
  for (const entry of counted) applyFact(state, order, report, entry);
  const { lines: lineFacts, documents, qcAt, ...rest } = state;
  const byLineNo = [...lineFacts.values()].sort((a, b) => a.lineNo - b.lineNo);

  return { facts: { ...rest, lines: byLineNo, documents: [...documents.values()] }, qcAt };
}
