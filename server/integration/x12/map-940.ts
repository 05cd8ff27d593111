import { References, type ProductId } from '../references';
import type { AdapterEvent, MapResult, MappingContext, SkuRef } from '../types';
import { x12EventId } from './event-id';
import { decimalOf, el, pairs, where, type SetSegment } from './segments';
import { loops, party, SetMapping } from './set-mapping';
import type { TransactionSet } from './structure';
import { itemUnit } from './units';
import { isoDate, x12Date } from './x12-time';

// 940 warehouse shipping order -> ORDER_RELEASED.
//   W05   W0502 depositor order number (orderRef), W0503 purchase order number
//   N1    DE depositor (customerCode via partners), ST ship-to (CN consignee when there is no
//         ST) via locations, WH warehouse via locations (our site)
//   G62   10 requested ship date (requestedDate)
//   LX    LX01 line number; W01 W0101 quantity, W0102 unit, W0103 UPC case code, W0104/05 and
//         W0106/07 qualified product ids
// A 940 carries no prices: each line takes its SKU's catalogue price from the mapping table.
// Unmapped references keep the partner's value in place and hold the event back (unresolved).

type OrderLine = Extract<AdapterEvent, { type: 'ORDER_RELEASED' }>['payload']['lines'][number];

function productIds(w01: SetSegment): ProductId[] {
  const qualified = pairs(w01, 4, 2);
  const caseCode = el(w01, 3) ? [{ qualifier: 'UA', value: el(w01, 3) }] : [];
  const isGtin = (id: ProductId) => ['UK', 'UP', 'EN', 'UI', 'UN'].includes(id.qualifier);

  return [...qualified.filter(isGtin), ...caseCode, ...qualified.filter((id) => !isGtin(id))];
}

function readLine(
  m: SetMapping,
  loop: SetSegment[],
  ordinal: number,
  eventId: string,
): { line: OrderLine; sku: SkuRef | null } | null {
  const w01 = m.first('W01', loop);
  if (!w01) return null;
  const lx = Number(el(loop[0], 1));
  const lineNo = Number.isSafeInteger(lx) && lx > 0 ? lx : ordinal;
  const ids = productIds(w01);
  const sku = m.refs.sku(ids);
  if (!sku) m.refs.miss('SKU', References.productLabel(ids), where(w01), [eventId]);
  const quantity = decimalOf(el(w01, 1));
  if (!quantity)
    m.warn('MISSING_REQUIRED', `line ${lineNo} has no quantity`, where(w01, 1), eventId);
  const line: OrderLine = {
    lineNo,
    skuCode: sku?.skuCode ?? (ids[0]?.value || '(no product id)'),
    quantity: quantity ?? '',
    uom: itemUnit(el(w01, 2)),
    // A placeholder while the SKU is unmapped: the held-back event is re-derived, never applied.
    unitPrice: sku?.unitPrice ?? '0',
  };

  return { line, sku };
}

function orderCurrency(m: SetMapping, skus: (SkuRef | null)[], eventId: string): string {
  const currencies = [...new Set(skus.flatMap((s) => (s ? [s.currency] : [])))];
  if (currencies.length > 1) {
    m.warn(
      'MISSING_REQUIRED',
      `the lines' SKUs are priced in ${currencies.join(' and ')}`,
      undefined,
      eventId,
    );
  }

  return currencies[0] ?? 'USD';
}

function customerCode(m: SetMapping, eventId: string): string {
  const depositor = party(m.set.body, 'DE');
  const id = depositor ? el(depositor, 4) || el(depositor, 2) : '';
  const code = depositor ? m.refs.partner(el(depositor, 3), id) : null;
  if (code) return code;
  m.refs.miss(
    'PARTNER_ID',
    id || '(no N1*DE depositor)',
    depositor ? where(depositor, 4) : 'N1*DE',
    [eventId],
  );

  return id || '(unknown depositor)';
}

function shipToCode(m: SetMapping, eventId: string): string {
  const shipTo = party(m.set.body, 'ST', 'CN');
  if (!shipTo) {
    m.refs.miss('LOCATION', '(no N1*ST ship-to)', 'N1*ST', [eventId]);
    return '(no ship-to)';
  }

  return m.customerLocation(shipTo, [eventId])?.locationCode ?? (el(shipTo, 4) || el(shipTo, 2));
}

function requestedDate(m: SetMapping): string | undefined {
  const g62 = m.all('G62').find((s) => el(s, 1) === '10');
  const date = g62 ? x12Date(el(g62, 2)) : null;

  return date ? isoDate(date) : undefined;
}

export function map940(set: TransactionSet, context: MappingContext): MapResult {
  const m = new SetMapping(set, context);
  const w05 = m.first('W05');
  if (!w05 || !el(w05, 2)) {
    m.warn('MISSING_REQUIRED', 'no W05 depositor order number: no order to release', 'W05');
    return m.result([]);
  }
  const eventId = x12EventId(set, w05.position, 'ORDER_RELEASED');
  const site = m.site(party(set.body, 'WH'), [eventId]);
  const read = loops(set.body, 'LX').flatMap((loop, i) => readLine(m, loop, i + 1, eventId) ?? []);
  const occurredAt = m.groupInstant(site.timeZone);
  const requested = requestedDate(m);
  if (!occurredAt) m.warn('MISSING_REQUIRED', 'GS04/GS05 give no release time', 'GS04', eventId);
  const event: AdapterEvent = {
    eventId,
    type: 'ORDER_RELEASED',
    occurredAt: occurredAt ?? '',
    site: site.site,
    orderRef: el(w05, 2),
    payload: {
      customerCode: customerCode(m, eventId),
      shipToCode: shipToCode(m, eventId),
      ...(el(w05, 3) ? { poNumber: el(w05, 3) } : {}),
      ...(requested ? { requestedDate: requested } : {}),
      currency: orderCurrency(
        m,
        read.map((r) => r.sku),
        eventId,
      ),
      lines: read.map((r) => r.line),
    },
  };

  return m.result([event]);
}
