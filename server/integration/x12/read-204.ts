import { Decimal } from '../../lib/money';
import type { LoadTender, TenderDate, TenderOrder, TenderStop } from './load-tender';
import { decimalOf, el, impliedDecimal, type SetSegment } from './segments';
import type { TransactionSet } from './structure';
import { weightUnit } from './units';
import { isoDate, x12Date } from './x12-time';

// Reads a 204 motor carrier load tender into the LoadTender model: ours (write-204.ts) to check
// what we sent, or any partner's (the stupidedi sample). Segments are taken by where they stand:
// before the first S5 they belong to the tender, after an S5 to that stop, after an OID to that
// order. Segments the model does not hold (AT8 repeating an OID's weight, PLD's
// volume, placeholder G61s inside an order) are skipped.

export interface Read204Result {
  tender: LoadTender | null;
  warnings: string[];
}

const PURPOSES = ['00', '01', '04'] as const;

/** A decimal as written when it is plain ("12.50" stays "12.50"), else normalised (".07"). */
function decimalText(raw: string): string | null {
  return /^-?\d+(\.\d+)?$/.test(raw) ? raw : decimalOf(raw);
}

function weight(valueRaw: string, unitRaw: string) {
  const value = decimalText(valueRaw);
  const unit = weightUnit(unitRaw);

  return value && unit ? { value, unit } : null;
}

function quantity(valueRaw: string, unit: string) {
  const value = decimalText(valueRaw);

  return value && unit ? { value, unit } : null;
}

function tenderDate(g62: SetSegment): TenderDate | null {
  const date = x12Date(el(g62, 2));
  if (!date) return null;
  const time = el(g62, 4);

  return {
    qualifier: el(g62, 1),
    date: isoDate(date),
    time: /^\d{4}/.test(time) ? `${time.slice(0, 2)}:${time.slice(2, 4)}` : null,
    timeQualifier: el(g62, 3) || null,
    timeCode: el(g62, 5) || null,
  };
}

function newStop(s5: SetSegment): TenderStop {
  return {
    sequence: Number(el(s5, 1)),
    reason: el(s5, 2),
    weight: weight(el(s5, 3), el(s5, 4)),
    quantity: quantity(el(s5, 5), el(s5, 6)),
    pallets: null,
    references: [],
    dates: [],
    notes: [],
    party: null,
    contacts: [],
    orders: [],
  };
}

function newOrder(oid: SetSegment): TenderOrder {
  return {
    reference: el(oid, 1),
    purchaseOrder: el(oid, 2) || null,
    quantity: quantity(el(oid, 5), el(oid, 4)),
    weight: weight(el(oid, 7), el(oid, 6)),
    commodity: null,
    references: [],
  };
}

function readParty(stop: TenderStop, segment: SetSegment): void {
  if (segment.tag === 'N1') {
    stop.party = {
      entity: el(segment, 1),
      name: el(segment, 2),
      idQualifier: el(segment, 3) || null,
      id: el(segment, 4) || null,
      address: [],
      city: '',
      region: null,
      postalCode: null,
      country: null,
    };
  } else if (segment.tag === 'N3' && stop.party) {
    stop.party.address.push(...segment.elements.filter(Boolean));
  } else if (segment.tag === 'N4' && stop.party) {
    stop.party.city = el(segment, 1);
    stop.party.region = el(segment, 2) || null;
    stop.party.postalCode = el(segment, 3) || null;
    stop.party.country = el(segment, 4) || null;
  }
}

function readStopSegment(stop: TenderStop, segment: SetSegment): void {
  const date = segment.tag === 'G62' ? tenderDate(segment) : null;
  if (date) stop.dates.push(date);
  if (segment.tag === 'L11')
    stop.references.push({ qualifier: el(segment, 2), value: el(segment, 1) });
  if (segment.tag === 'PLD') stop.pallets = Number(el(segment, 1)) || 0;
  if (segment.tag === 'NTE') stop.notes.push({ code: el(segment, 1), text: el(segment, 2) });
  if (segment.tag === 'G61') {
    stop.contacts.push({
      function: el(segment, 1),
      name: el(segment, 2),
      qualifier: el(segment, 3) || null,
      number: el(segment, 4) || null,
    });
  }
  readParty(stop, segment);
}

function readOrderSegment(order: TenderOrder, segment: SetSegment): void {
  if (segment.tag === 'L11')
    order.references.push({ qualifier: el(segment, 2), value: el(segment, 1) });
  if (segment.tag === 'L5' && el(segment, 3)) {
    order.commodity = { code: el(segment, 3), qualifier: el(segment, 4) || null };
  }
}

function readHeader(tender: LoadTender, segment: SetSegment, warnings: string[]): void {
  if (segment.tag === 'B2A') {
    const purpose = PURPOSES.find((p) => p === el(segment, 1));
    if (!purpose)
      warnings.push(`B2A01 "${el(segment, 1)}" is not 00, 01 or 04: read as an original`);
    tender.purpose = purpose ?? '00';
  }
  if (segment.tag === 'L11')
    tender.references.push({ qualifier: el(segment, 2), value: el(segment, 1) });
  const date = segment.tag === 'G62' ? tenderDate(segment) : null;
  if (date) tender.dates.push(date);
  if (segment.tag === 'NTE') tender.notes.push({ code: el(segment, 1), text: el(segment, 2) });
  if (segment.tag === 'N7') {
    tender.equipment = {
      initial: el(segment, 1) || null,
      number: el(segment, 2) || null,
      type: el(segment, 11),
    };
  }
}

function readTotals(tender: LoadTender, l3: SetSegment, b2WeightUnit: string): void {
  tender.totalWeight = weight(el(l3, 1), el(l3, 12) || b2WeightUnit);
  const charge = impliedDecimal(el(l3, 5), 2);
  tender.totalCharge = charge === null ? null : new Decimal(charge).toFixed(2);
  tender.ladingQuantity = el(l3, 11) ? Number(el(l3, 11)) : null;
}

function emptyTender(b2: SetSegment): LoadTender {
  return {
    shipmentRef: el(b2, 4),
    carrierScac: el(b2, 2),
    paymentMethod: el(b2, 6),
    purpose: '00',
    references: [],
    dates: [],
    notes: [],
    equipment: null,
    stops: [],
    totalWeight: null,
    totalCharge: null,
    ladingQuantity: null,
  };
}

export function read204(set: TransactionSet): Read204Result {
  const warnings: string[] = [];
  const b2 = set.body.find((s) => s.tag === 'B2');
  if (!b2) return { tender: null, warnings: ['no B2: not a load tender'] };
  const tender = emptyTender(b2);
  let stop: TenderStop | null = null;
  let order: TenderOrder | null = null;
  for (const segment of set.body) {
    if (segment.tag === 'S5') {
      stop = newStop(segment);
      order = null;
      tender.stops.push(stop);
    } else if (segment.tag === 'OID' && stop) {
      order = newOrder(segment);
      stop.orders.push(order);
    } else if (segment.tag === 'L3') readTotals(tender, segment, el(b2, 5));
    else if (order) readOrderSegment(order, segment);
    else if (stop) readStopSegment(stop, segment);
    else readHeader(tender, segment, warnings);
  }
  // Some shippers leave B202 empty and name the carrier in an L11 with qualifier SCA.
  if (!tender.carrierScac)
    tender.carrierScac = tender.references.find((r) => r.qualifier === 'SCA')?.value ?? '';

  return { tender, warnings };
}
