import { References, type ProductId } from '../references';
import type { AdapterEvent, MapResult, MappingContext, PackedStagedDraft } from '../types';
import { x12EventId } from './event-id';
import { volumeOf, weightOf } from './measures';
import { countOf, decimalOf, el, pairs, where, type SetSegment } from './segments';
import { loops, party, SetMapping } from './set-mapping';
import type { TransactionSet } from './structure';
import { itemUnit } from './units';

// 945 warehouse shipping advice -> the events it gives the data for, in lifecycle order:
//   W12 lines            -> PICK_COMPLETED (W1203 units shipped, W1205 unit, W1209 lot;
//                           line number from N9*LI in the line's loop, else LX01, else order)
//   W03 totals           -> PACKED_STAGED (W0306 lading quantity or one per MAN, W0302/03
//                           weight, W0304/05 volume)
//   G62*11 or W27        -> DEPARTED (shipped on that date / a carrier took it; W2702 SCAC)
// Times: G62*11 date, time and time code; else W0603, the date the shipment was made.
//   W06  W0602 depositor order number (orderRef); N1*SF or N1*WH our site

type PickLine = Extract<AdapterEvent, { type: 'PICK_COMPLETED' }>['payload']['lines'][number];

function lineNo(
  m: SetMapping,
  w12Loop: SetSegment[],
  lx: SetSegment | undefined,
  ordinal: number,
  eventId: string,
): number {
  const li = w12Loop.find((s) => s.tag === 'N9' && el(s, 1) === 'LI');
  for (const raw of [li ? el(li, 2) : '', lx ? el(lx, 1) : '']) {
    const n = Number(raw);
    if (raw && Number.isSafeInteger(n) && n > 0) return n;
  }
  m.warn(
    'INFERRED',
    `no line number (N9*LI, LX01): line ${ordinal} by order of appearance`,
    where(w12Loop[0]!),
    eventId,
  );

  return ordinal;
}

function pickLines(m: SetMapping, eventId: string): PickLine[] {
  const lines: PickLine[] = [];
  for (const lxLoop of loops(m.set.body, 'LX').length ? loops(m.set.body, 'LX') : [m.set.body]) {
    const lx = lxLoop[0]?.tag === 'LX' ? lxLoop[0] : undefined;
    for (const w12Loop of loops(lxLoop, 'W12')) {
      const w12 = w12Loop[0]!;
      const ids: ProductId[] = [
        ...(el(w12, 6) ? [{ qualifier: 'UA', value: el(w12, 6) }] : []),
        ...pairs(w12, 7, 1),
        ...pairs(w12, 15, 1),
      ];
      if (!m.refs.sku(ids)) m.refs.miss('SKU', References.productLabel(ids), where(w12), [eventId]);
      const lot = el(w12, 9);
      lines.push({
        lineNo: lineNo(m, w12Loop, lx, lines.length + 1, eventId),
        quantity: decimalOf(el(w12, 3)) ?? '0',
        uom: itemUnit(el(w12, 5)),
        ...(lot ? { lot } : {}),
      });
    }
  }

  return lines;
}

function packPayload(
  m: SetMapping,
  w03: SetSegment,
  dock: string | undefined,
  eventId: string,
): PackedStagedDraft['payload'] {
  const mans = m.all('MAN').length;
  const lading = countOf(el(w03, 6));
  const weight = weightOf(el(w03, 2), el(w03, 3));
  const volume = volumeOf(el(w03, 4), el(w03, 5));
  const payload = {
    handlingUnits: lading || mans || 1,
    ...(weight ? { weight } : {}),
    ...(volume ? { volume } : {}),
    ...(dock ? { dock } : {}),
  };
  const missing = ['weight', 'volume', 'dock'].filter((k) => !(k in payload));
  if (missing.length) {
    m.warn('MISSING_REQUIRED', `the advice gives no ${missing.join(', ')}`, where(w03), eventId);
  }
  if (!lading && !mans) {
    const message = 'no lading quantity or MAN: 1 handling unit assumed';
    m.warn('INFERRED', message, where(w03, 6), eventId);
  }

  return payload;
}

function shippedAt(m: SetMapping, w06: SetSegment, zone: string): string | null {
  const g62 = m.all('G62').find((s) => el(s, 1) === '11');

  return g62 ? m.instant(g62, [2, 4, 5], zone) : m.instant(w06, [3, null, null], zone);
}

export function map945(set: TransactionSet, context: MappingContext): MapResult {
  const m = new SetMapping(set, context);
  const w06 = m.first('W06');
  if (!w06 || !el(w06, 2)) {
    m.warn('MISSING_REQUIRED', 'no W06 depositor order number: nothing to report against', 'W06');
    return m.result([]);
  }
  const id = (stage: 'PICK_COMPLETED' | 'PACKED_STAGED' | 'DEPARTED') =>
    x12EventId(set, w06.position, stage);
  const site = m.site(party(set.body, 'SF', 'WH'), [
    id('PICK_COMPLETED'),
    id('PACKED_STAGED'),
    id('DEPARTED'),
  ]);
  const envelope = {
    occurredAt: shippedAt(m, w06, site.timeZone) ?? '',
    site: site.site,
    orderRef: el(w06, 2),
  };
  const events: AdapterEvent[] = [];
  const lines = pickLines(m, id('PICK_COMPLETED'));
  if (lines.length) {
    events.push({
      ...envelope,
      eventId: id('PICK_COMPLETED'),
      type: 'PICK_COMPLETED',
      payload: { lines },
    });
  }
  const w03 = m.first('W03');
  if (w03) {
    const payload = packPayload(m, w03, site.dock, id('PACKED_STAGED'));
    events.push({ ...envelope, eventId: id('PACKED_STAGED'), type: 'PACKED_STAGED', payload });
  }
  const w27 = m.first('W27');
  if (w27 || m.all('G62').some((s) => el(s, 1) === '11')) {
    const scac = el(w27, 2);
    if (w27 && scac && !m.refs.carrier(scac)) {
      m.refs.miss('CARRIER', scac, where(w27, 2), [id('DEPARTED')]);
    }
    events.push({ ...envelope, eventId: id('DEPARTED'), type: 'DEPARTED', payload: {} });
  }

  return m.result(events);
}
