import type { Measure, VolumeUnit, WeightUnit } from '../../domain/events/decimal-fields';
import { Decimal } from '../../lib/money';
import { References, type ProductId } from '../references';
import type { AdapterEvent, MapResult, MappingContext, PackedStagedDraft } from '../types';
import { x12EventId } from './event-id';
import { descendants, hlTree, ofLevel, type HlNode } from './hl-tree';
import { prorate, volumeOf, weightOf } from './measures';
import { countOf, decimalOf, el, pairs, where } from './segments';
import { party, SetMapping } from './set-mapping';
import type { TransactionSet } from './structure';
import { itemUnit } from './units';

// 856 ship notice -> per order (HL level O): PICK_COMPLETED with its lines, then PACKED_STAGED.
//   BSN   BSN03/BSN04 date and time of the notice: when picking and packing were done by
//   HL S  TD1 lading quantity (TD102), weight (TD107/TD108), volume (TD109/TD110); N1*SF site
//   HL O  PRF01 purchase order number (orderRef); TD1 of the order when it has its own
//   HL P  one per handling unit (MAN*GM carries its SSCC)
//   HL I  LIN01 line number, LIN02/03.. product ids (LT = lot); SN102 quantity, SN103 unit
// A shipment of several orders measured only as a whole gives each order a share of its weight
// and volume by handling units, with a warning. Nothing unmeasured is invented.

type PickLine = Extract<AdapterEvent, { type: 'PICK_COMPLETED' }>['payload']['lines'][number];

interface Measures {
  weight: Measure<WeightUnit> | null;
  volume: Measure<VolumeUnit> | null;
  units: number | null;
}

function td1(node: HlNode | undefined): Measures {
  const seg = node?.segments.find((s) => s.tag === 'TD1');

  return {
    weight: seg ? weightOf(el(seg, 7), el(seg, 8)) : null,
    volume: seg ? volumeOf(el(seg, 9), el(seg, 10)) : null,
    units: seg ? countOf(el(seg, 2)) : null,
  };
}

function itemKey(lin: ReturnType<typeof pairs>, lin01: string): string {
  return lin01 || lin.map((p) => `${p.qualifier}:${p.value}`).join('|');
}

/** Items of an order, one pick line per order line: split packs of one line add up. */
function pickLines(m: SetMapping, order: HlNode, eventId: string): PickLine[] {
  const lines = new Map<string, PickLine>();
  for (const item of ofLevel([order], 'I')) {
    const lin = item.segments.find((s) => s.tag === 'LIN');
    const sn1 = item.segments.find((s) => s.tag === 'SN1');
    if (!lin || !sn1) continue;
    const ids: ProductId[] = pairs(lin, 2, 15);
    if (!m.refs.sku(ids))
      m.refs.miss('SKU', References.productLabel(ids), where(lin, 3), [eventId]);
    const key = itemKey(ids, el(lin, 1));
    const quantity = decimalOf(el(sn1, 2)) ?? '0';
    const known = lines.get(key);
    if (known) {
      known.quantity = new Decimal(known.quantity).plus(quantity).toFixed();
      continue;
    }
    const lot = ids.find((p) => p.qualifier === 'LT')?.value;
    lines.set(key, {
      lineNo: lineNumber(m, el(lin, 1), lines.size + 1, lin, eventId),
      quantity,
      uom: itemUnit(el(sn1, 3)),
      ...(lot ? { lot } : {}),
    });
  }

  return [...lines.values()];
}

function lineNumber(
  m: SetMapping,
  lin01: string,
  ordinal: number,
  lin: HlNode['hl'],
  eventId: string,
): number {
  const n = Number(lin01);
  if (Number.isSafeInteger(n) && n > 0) return n;
  m.warn(
    'INFERRED',
    `LIN01 gives no line number: line ${ordinal} by order of appearance`,
    where(lin, 1),
    eventId,
  );

  return ordinal;
}

function orderMeasures(
  m: SetMapping,
  order: HlNode,
  shipment: HlNode | undefined,
  orders: number,
  eventId: string,
): Measures {
  const own = td1(order);
  const packs = ofLevel([order], 'P').length || ofLevel([order], 'T').length;
  const units = packs || own.units;
  if (own.weight || own.volume || orders === 1) {
    const whole = orders === 1 ? td1(shipment) : own;
    return {
      weight: own.weight ?? whole.weight,
      volume: own.volume ?? whole.volume,
      units: units ?? whole.units,
    };
  }
  const total = td1(shipment);
  const all = total.units ?? 0;
  if (!units || !all) return { weight: null, volume: null, units };
  m.warn(
    'INFERRED',
    `weight and volume are the order's share (${units} of ${all} handling units) of the shipment's TD1`,
    where(order.hl),
    eventId,
  );

  return {
    weight: total.weight && prorate(total.weight, units, all),
    volume: total.volume && prorate(total.volume, units, all),
    units,
  };
}

function packEvent(m: SetMapping, order: HlNode, context: OrderContext): PackedStagedDraft {
  const eventId = x12EventId(m.set, order.hl.position, 'PACKED_STAGED');
  const measured = orderMeasures(m, order, context.shipment, context.orders, eventId);
  const payload: PackedStagedDraft['payload'] = {
    handlingUnits: measured.units ?? 1,
    ...(measured.weight ? { weight: measured.weight } : {}),
    ...(measured.volume ? { volume: measured.volume } : {}),
    ...(context.dock ? { dock: context.dock } : {}),
  };
  const missing = ['weight', 'volume', 'dock'].filter((k) => !(k in payload));
  if (missing.length) {
    const message = `the notice gives no ${missing.join(', ')} for this order`;
    m.warn('MISSING_REQUIRED', message, where(order.hl), eventId);
  }
  if (measured.units === null) {
    m.warn('INFERRED', 'no handling units counted: 1 assumed', where(order.hl), eventId);
  }

  return { ...context.envelope(order, eventId), type: 'PACKED_STAGED', payload };
}

interface OrderContext {
  shipment: HlNode | undefined;
  orders: number;
  dock: string | undefined;
  envelope: (
    order: HlNode,
    eventId: string,
  ) => { eventId: string; occurredAt: string; site: string; orderRef?: string };
}

function orderEvents(m: SetMapping, order: HlNode, context: OrderContext): AdapterEvent[] {
  const pickId = x12EventId(m.set, order.hl.position, 'PICK_COMPLETED');
  const lines = pickLines(m, order, pickId);
  const pack = packEvent(m, order, context);
  if (lines.length === 0) {
    m.warn(
      'MISSING_REQUIRED',
      'the order lists no items (HL I with LIN and SN1): no pick reported',
      where(order.hl),
    );
    return [pack];
  }

  return [{ ...context.envelope(order, pickId), type: 'PICK_COMPLETED', payload: { lines } }, pack];
}

export function map856(set: TransactionSet, context: MappingContext): MapResult {
  const m = new SetMapping(set, context);
  const roots = hlTree(set.body);
  const shipment = ofLevel(roots, 'S')[0];
  const orders = ofLevel(roots, 'O');
  const ids = orders.flatMap((o) => [
    x12EventId(set, o.hl.position, 'PICK_COMPLETED'),
    x12EventId(set, o.hl.position, 'PACKED_STAGED'),
  ]);
  const site = m.site(
    party(shipment ? descendants(shipment).flatMap((n) => n.segments) : set.body, 'SF'),
    ids,
  );
  const bsn = m.first('BSN');
  const occurredAt = bsn ? m.instant(bsn, [3, 4, null], site.timeZone) : null;
  const envelope = (order: HlNode, eventId: string) => {
    const prf = order.segments.find((s) => s.tag === 'PRF');
    if (!prf)
      m.warn(
        'MISSING_REQUIRED',
        'the order has no PRF purchase order number',
        where(order.hl),
        eventId,
      );
    return {
      eventId,
      occurredAt: occurredAt ?? '',
      site: site.site,
      ...(prf && el(prf, 1) ? { orderRef: el(prf, 1) } : {}),
    };
  };
  if (orders.length === 0) m.warn('MISSING_REQUIRED', 'the notice has no order level (HL O)', 'HL');
  const orderContext = { shipment, orders: orders.length, dock: site.dock, envelope };

  return m.result(orders.flatMap((order) => orderEvents(m, order, orderContext)));
}
