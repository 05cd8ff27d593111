import type { X12Transaction } from 'node-x12';

import { Decimal } from '../../lib/money';
import { loadTenderSchema, type LoadTender, type TenderDate, type TenderStop } from './load-tender';
import {
  addGroup,
  clean,
  controlNumber,
  newInterchange,
  type EnvelopeStamp,
} from './write-envelope';

// Writes a LoadTender as an X12 204 in its own interchange (GS01 SM), in the segment order
// read-204.ts reads: B2, B2A, L11, G62, NTE, N7; per stop S5, L11, G62, PLD, NTE, N1, N3, N4,
// G61 and per order OID, L5, L11; then L3. Trailing empty elements are left out, as X12 asks.

export interface Write204Options extends EnvelopeStamp {
  groupControlNumber: number;
  setControlNumber: number;
}

/** Element 188: L pounds, K kilograms. */
const WEIGHT_CODE = { LB: 'L', KG: 'K' } as const;

function add(tx: X12Transaction, tag: string, values: (string | null | undefined)[]): void {
  const cleaned = values.map((v) => clean(v ?? ''));
  while (cleaned.length > 1 && cleaned.at(-1) === '') cleaned.pop();
  tx.addSegment(tag, cleaned);
}

function addDate(tx: X12Transaction, d: TenderDate): void {
  add(tx, 'G62', [
    d.qualifier,
    d.date.replaceAll('-', ''),
    d.timeQualifier,
    d.time?.replace(':', ''),
    d.timeCode,
  ]);
}

function addHeader(tx: X12Transaction, t: LoadTender): void {
  add(tx, 'B2', [
    '',
    t.carrierScac,
    '',
    t.shipmentRef,
    t.totalWeight ? WEIGHT_CODE[t.totalWeight.unit] : '',
    t.paymentMethod,
  ]);
  add(tx, 'B2A', [t.purpose, 'LT']);
  for (const r of t.references) add(tx, 'L11', [r.value, r.qualifier]);
  for (const d of t.dates) addDate(tx, d);
  for (const n of t.notes) add(tx, 'NTE', [n.code, n.text]);
  const e = t.equipment;
  // N711 is the equipment description code; N703 to N710 stay empty.
  if (e) add(tx, 'N7', [e.initial, e.number, ...Array<string>(8).fill(''), e.type]);
}

function addParty(tx: X12Transaction, stop: TenderStop): void {
  const p = stop.party;
  if (!p) return;
  add(tx, 'N1', [p.entity, p.name, p.idQualifier, p.id]);
  if (p.address.length) add(tx, 'N3', p.address);
  add(tx, 'N4', [p.city, p.region, p.postalCode, p.country]);
}

function addStop(tx: X12Transaction, stop: TenderStop): void {
  const w = stop.weight;
  add(tx, 'S5', [
    String(stop.sequence),
    stop.reason,
    w?.value,
    w ? WEIGHT_CODE[w.unit] : '',
    stop.quantity?.value,
    stop.quantity?.unit,
  ]);
  for (const r of stop.references) add(tx, 'L11', [r.value, r.qualifier]);
  for (const d of stop.dates) addDate(tx, d);
  if (stop.pallets !== null) add(tx, 'PLD', [String(stop.pallets)]);
  for (const n of stop.notes) add(tx, 'NTE', [n.code, n.text]);
  addParty(tx, stop);
  for (const c of stop.contacts) add(tx, 'G61', [c.function, c.name, c.qualifier, c.number]);
  for (const o of stop.orders) {
    const ow = o.weight;
    add(tx, 'OID', [
      o.reference,
      o.purchaseOrder,
      '',
      o.quantity?.unit,
      o.quantity?.value,
      ow ? WEIGHT_CODE[ow.unit] : '',
      ow?.value,
    ]);
    if (o.commodity) add(tx, 'L5', ['', '', o.commodity.code, o.commodity.qualifier]);
    for (const r of o.references) add(tx, 'L11', [r.value, r.qualifier]);
  }
}

function addTotals(tx: X12Transaction, t: LoadTender): void {
  if (!t.totalWeight && t.totalCharge === null && t.ladingQuantity === null) return;
  const w = t.totalWeight;
  // L305 is type N2: the amount in cents, without a point.
  const charge = t.totalCharge === null ? '' : new Decimal(t.totalCharge).times(100).toFixed(0);
  const lading = t.ladingQuantity === null ? '' : String(t.ladingQuantity);
  add(tx, 'L3', [
    w?.value,
    w ? 'G' : '',
    '',
    '',
    charge,
    '',
    '',
    '',
    '',
    '',
    lading,
    w ? WEIGHT_CODE[w.unit] : '',
  ]);
}

/** The 204 interchange for `tender`; throws on a model the schema refuses. */
export function write204(tender: LoadTender, options: Write204Options): string {
  const model = loadTenderSchema.parse(tender);
  const interchange = newInterchange(options);
  const group = addGroup(interchange, {
    functionalId: 'SM',
    sender: options.sender.id,
    receiver: options.receiver.id,
    controlNumber: options.groupControlNumber,
    now: options.now,
  });
  const tx = group.addTransaction();
  tx.setHeader(['204', controlNumber(options.setControlNumber, 4)]);
  addHeader(tx, model);
  for (const stop of model.stops) addStop(tx, stop);
  addTotals(tx, model);

  return interchange.toString();
}
