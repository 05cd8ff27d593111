import { createHash } from 'node:crypto';

import { canonicalJson } from '../../domain/events/canonical-json';
import { parseInstant } from '../../domain/events/instant';
import { gtinOfEpc, isSscc } from '../gs1-keys';
import { References } from '../references';
import type {
  AdapterEvent,
  AdapterWarning,
  LocationRef,
  MapResult,
  MappingContext,
  ReceiptLine,
  ShippedRef,
} from '../types';
import { readEpcis, type EpcisEvent, type ReadEvent } from './schema';
import { transactionRef } from './vocabulary';

// EPCIS ObjectEvent / AggregationEvent -> canonical events, by business step and by whose the
// location is (bizLocation; readPoint when a shipping event leaves bizLocation out, as CBV
// advises for goods that are leaving):
//
// | bizStep              | location                         | event           |
// |----------------------|----------------------------------|-----------------|
// | packing              | our site                         | PACKED_STAGED   |
// | shipping, departing  | our site                         | DEPARTED        |
// | receiving, accepting | a customer's location            | DELIVERED       |
// | arriving             | a customer's location            | ARRIVED         |
// | receiving, accepting | our site, EPCs we shipped        | RETURN_RECEIVED |
// | receiving, accepting | our site, any other goods        | INBOUND_RECEIPT (moves no shipment) |
// | anything else        |                                  | none (NOT_MAPPED warning) |
//
// A location the mapping table does not know decides nothing: the event is held back
// (unresolved LOCATION with the id it will carry) until an admin maps it. Action DELETE (goods
// taken out of a unit, an observation withdrawn) moves nothing. Refs: a "po" transaction is the
// orderRef; the shipment is the one an EPC was shipped in, else a "desadv" or "bol" transaction.
// "EPCs we shipped" come from `context.shippedEpcs`: the EPCIS intake records the EPCs of every
// packing and shipping event at our sites (`outboundEpcs`) and looks a document's EPCs up there.

const MAX_ID = 128;

function eventIdOf(event: EpcisEvent, raw: unknown): string {
  if (event.eventID && event.eventID.length <= MAX_ID - 'epcis:'.length)
    return `epcis:${event.eventID}`;
  const digest = createHash('sha256').update(canonicalJson(raw)).digest('hex');

  return `epcis:sha256:${digest}`;
}

/** eventTime at the event's own offset: the local time where it happened. */
function occurredAt(event: EpcisEvent): string {
  const read = parseInstant('eventTime', event.eventTime);
  if (!read.ok) return event.eventTime;
  const offset = event.eventTimeZoneOffset;
  const minutes =
    (offset.startsWith('-') ? -1 : 1) *
    (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const local = new Date(read.at.getTime() + minutes * 60_000).toISOString().slice(0, 23);

  return `${local}${offset}`;
}

function epcsOf(event: EpcisEvent): string[] {
  return event.type === 'ObjectEvent'
    ? event.epcList
    : [...(event.parentID ? [event.parentID] : []), ...event.childEPCs];
}

function quantitiesOf(event: EpcisEvent) {
  return event.type === 'ObjectEvent' ? event.quantityList : event.childQuantityList;
}

function transactions(event: EpcisEvent, ...types: string[]): string[] {
  return event.bizTransactionList
    .filter((t) => types.includes(t.type ?? ''))
    .map((t) => transactionRef(t.bizTransaction));
}

interface Classified {
  type:
    'PACKED_STAGED' | 'DEPARTED' | 'ARRIVED' | 'DELIVERED' | 'RETURN_RECEIVED' | 'INBOUND_RECEIPT';
  site: string;
  dock?: string;
  orderRef?: string;
  shipmentRef?: string;
}

function classify(
  event: EpcisEvent,
  where: LocationRef,
  context: MappingContext,
): Classified | null {
  const step = event.bizStep ?? '';
  const shipped = epcsOf(event)
    .map((epc) => context.shippedEpcs?.[epc])
    .find(Boolean);
  const atSite = where.kind === 'SITE' ? where : null;
  if (atSite && step === 'packing') {
    return {
      type: 'PACKED_STAGED',
      site: atSite.site,
      ...(atSite.dock ? { dock: atSite.dock } : {}),
    };
  }
  if (atSite && ['shipping', 'departing'].includes(step))
    return { type: 'DEPARTED', site: atSite.site };
  if (!['receiving', 'accepting', 'arriving'].includes(step)) return null;
  if (!atSite) return { type: step === 'arriving' ? 'ARRIVED' : 'DELIVERED', site: context.site };
  if (step === 'arriving') return null;

  return shipped
    ? { type: 'RETURN_RECEIVED', site: atSite.site, ...shipped }
    : { type: 'INBOUND_RECEIPT', site: atSite.site };
}

/** Instance EPCs counted per GTIN (SSCCs are units, not goods), then the class quantities. */
function receiptLines(
  event: EpcisEvent,
  refs: References,
  eventId: string,
  path: string,
): ReceiptLine[] {
  const byKey = new Map<string, { gtin: string | null; epcs: string[] }>();
  for (const epc of epcsOf(event).filter((e) => !isSscc(e))) {
    const gtin = gtinOfEpc(epc);
    const entry = byKey.get(gtin ?? epc) ?? { gtin, epcs: [] };
    entry.epcs.push(epc);
    byKey.set(gtin ?? epc, entry);
  }
  const list = event.type === 'ObjectEvent' ? 'epcList' : 'childEPCs';
  const read = [...byKey.values()].map((e) => ({
    source: `${path}.${list}`,
    line: { gtin: e.gtin, skuCode: null, quantity: String(e.epcs.length), uom: 'EA', epcs: e.epcs },
  }));
  const classes = event.type === 'ObjectEvent' ? 'quantityList' : 'childQuantityList';
  quantitiesOf(event).forEach((q, i) => {
    const line = {
      gtin: gtinOfEpc(q.epcClass),
      skuCode: null,
      quantity: String(q.quantity ?? 0),
      uom: q.uom ?? 'EA',
    };
    read.push({ source: `${path}.${classes}[${i}]`, line: { ...line, epcs: [] } });
  });

  return read.map(({ source, line }) => {
    const sku = line.gtin ? refs.sku([{ qualifier: 'GTIN', value: line.gtin }]) : null;
    if (!sku) refs.miss('SKU', line.gtin ?? line.epcs[0] ?? '(no GTIN)', source, [eventId]);
    const { epcs, gtin, ...rest } = line;

    return {
      ...(gtin ? { gtin } : {}),
      ...rest,
      skuCode: sku?.skuCode ?? null,
      ...(epcs.length ? { epcs } : {}),
    };
  });
}

function toEvent(
  event: EpcisEvent,
  c: Classified,
  eventId: string,
  refs: References,
  path: string,
  warn: (w: AdapterWarning) => void,
): AdapterEvent {
  const orderRef = transactions(event, 'po')[0] ?? c.orderRef;
  const shipmentRef = c.shipmentRef ?? transactions(event, 'desadv', 'bol')[0];
  const base = { eventId, occurredAt: occurredAt(event), site: c.site };
  const refsOf = { ...(orderRef ? { orderRef } : {}), ...(shipmentRef ? { shipmentRef } : {}) };
  const receipt = () => ({
    lines: receiptLines(event, refs, eventId, path),
    ...(event.disposition ? { disposition: event.disposition } : {}),
    ...(event.eventID ? { sourceEventId: event.eventID } : {}),
  });
  if (c.type === 'INBOUND_RECEIPT') {
    const bizTransactions = event.bizTransactionList.map((t) => ({
      ...(t.type ? { type: t.type } : {}),
      id: transactionRef(t.bizTransaction),
    }));
    return { ...base, type: 'INBOUND_RECEIPT', payload: { ...receipt(), bizTransactions } };
  }
  if (!orderRef && !shipmentRef) {
    const message =
      'no po, desadv or bol transaction and no shipped EPC names the order or shipment';
    warn({ code: 'MISSING_REQUIRED', message, segment: path, eventId });
  }
  if (c.type === 'RETURN_RECEIVED') {
    return { ...base, ...refsOf, type: 'RETURN_RECEIVED', payload: receipt() };
  }
  if (c.type === 'PACKED_STAGED') {
    const payload = packPayload(event, c, eventId, path, warn);
    return { ...base, ...refsOf, type: 'PACKED_STAGED', payload };
  }

  return { ...base, ...refsOf, type: c.type, payload: {} };
}

function packPayload(
  event: EpcisEvent,
  c: Classified,
  eventId: string,
  path: string,
  warn: (w: AdapterWarning) => void,
) {
  const units = event.type === 'AggregationEvent' ? 1 : event.epcList.filter(isSscc).length;
  if (!units) {
    const message = 'no SSCC among the EPCs: 1 handling unit assumed';
    warn({ code: 'INFERRED', message, segment: path, eventId });
  }
  const message = `EPCIS carries no weight or volume${c.dock ? '' : ', and the site has no dock mapped'}`;
  warn({ code: 'MISSING_REQUIRED', message, segment: path, eventId });

  return { handlingUnits: units || 1, ...(c.dock ? { dock: c.dock } : {}) };
}

function mapOne(
  read: ReadEvent,
  context: MappingContext,
  refs: References,
  warnings: AdapterWarning[],
): AdapterEvent | null {
  const path = `eventList[${read.index}]`;
  const event = read.event;
  if (!event) {
    warnings.push({ code: 'NOT_MAPPED', message: read.problem ?? 'not read', segment: path });
    return null;
  }
  const eventId = eventIdOf(event, read.raw);
  const place = event.bizLocation ?? event.readPoint;
  if (!place) {
    warnings.push({
      code: 'MISSING_REQUIRED',
      message: 'neither bizLocation nor readPoint: no place to judge',
      segment: path,
      eventId,
    });
    return null;
  }
  if (event.action === 'DELETE') {
    warnings.push({
      code: 'NOT_MAPPED',
      message: 'action DELETE moves nothing',
      segment: path,
      eventId,
    });
    return null;
  }
  const where = refs.location('', place.id);
  if (!where) {
    refs.miss('LOCATION', place.id, `${path}.${event.bizLocation ? 'bizLocation' : 'readPoint'}`, [
      eventId,
    ]);
    return null;
  }
  const classified = classify(event, where, context);
  if (!classified) {
    warnings.push({
      code: 'NOT_MAPPED',
      message: `bizStep ${event.bizStep ?? '(none)'} at a ${where.kind === 'SITE' ? 'site of ours' : "customer's location"} is not a milestone`,
      segment: path,
      eventId,
    });
    return null;
  }

  return toEvent(event, classified, eventId, refs, path, (w) => warnings.push(w));
}

/** Maps the events `readEpcis` read. */
export function mapEpcis(read: readonly ReadEvent[], context: MappingContext): MapResult {
  const refs = new References(context.references);
  const warnings: AdapterWarning[] = [];
  const events = read.flatMap((r) => mapOne(r, context, refs, warnings) ?? []);

  return { events, unresolved: refs.unresolved, warnings };
}

/** Every EPC a document's events name (instance EPCs and parents), for the shipped lookup. */
export function documentEpcs(read: readonly ReadEvent[]): string[] {
  return [...new Set(read.flatMap((r) => (r.event ? epcsOf(r.event) : [])))];
}

/** The EPCs of each packing or shipping event at our sites: what has left, or is about to. */
export function outboundEpcs(
  read: readonly ReadEvent[],
  events: readonly AdapterEvent[],
): { eventId: string; epcs: string[]; ref: ShippedRef }[] {
  const byId = new Map(
    read.flatMap((r) => (r.event ? [[eventIdOf(r.event, r.raw), r.event]] : [])),
  );

  return events.flatMap((e) => {
    const source = e.type === 'PACKED_STAGED' || e.type === 'DEPARTED' ? byId.get(e.eventId) : null;
    const epcs = source ? epcsOf(source) : [];
    if (!epcs.length || (!e.orderRef && !e.shipmentRef)) return [];
    const ref = {
      ...(e.orderRef ? { orderRef: e.orderRef } : {}),
      ...(e.shipmentRef ? { shipmentRef: e.shipmentRef } : {}),
    };

    return [{ eventId: e.eventId, epcs, ref }];
  });
}

/** An EPCIS document end to end, or why it is not one (a 400 for the route). */
export function processEpcis(
  raw: unknown,
  context: MappingContext,
): { ok: true; result: MapResult } | { ok: false; reason: string } {
  const read = readEpcis(raw);

  return read.ok ? { ok: true, result: mapEpcis(read.events, context) } : read;
}
