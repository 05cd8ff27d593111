import type { AdapterEvent, MapResult, MappingContext } from '../types';
import { AT7_STATUS } from './at7-codes';
import { x12EventId } from './event-id';
import { el, where, type SetSegment } from './segments';
import { loops, party, SetMapping } from './set-mapping';
import type { TransactionSet } from './structure';

// 214 carrier shipment status -> DEPARTED / ARRIVED / DELIVERED / POD_RECEIVED by AT701
// (the table is in at7-codes.ts). Every AT7 is also returned as a carrier status.
//   B10   B1002 shipment identification number (our shipmentRef, as our 204 tendered it);
//         B1001 the carrier's reference when B1002 is empty; B1003 SCAC (carriers)
//   N1*SF the origin: our site
//   LX    one status loop: AT7 (AT705 date, AT706 time, AT707 time code), MS1, L11
// Proof of delivery: a 004010 214 has no element for a signer or a POD image, so it is read only
// by the carrier's own convention, kept with its mapping (MappingContext.pod): an L11 naming the
// signer in the D1 loop, and the carrier's POD image address for its PRO number.

export interface CarrierStatus {
  code: string;
  description: string | null;
  reason: string;
  appointment: string;
  at: string | null;
  shipmentRef: string;
  eventType: AdapterEvent['type'] | null;
  segment: string;
}

export interface Map214Result extends MapResult {
  statuses: CarrierStatus[];
}

function shipmentRef(m: SetMapping): string {
  const b10 = m.first('B10');
  const own = el(b10, 2);
  if (!own && el(b10, 1)) {
    m.warn(
      'INFERRED',
      "B1002 is empty: the carrier's reference B1001 is used as the shipment",
      'B1001',
    );
  }

  return own || el(b10, 1);
}

function podEvent(
  m: SetMapping,
  loop: SetSegment[],
  base: Omit<AdapterEvent, 'type' | 'payload'>,
  at7: SetSegment,
) {
  const pod = m.context.pod;
  const signer = pod && loop.find((s) => s.tag === 'L11' && el(s, 2) === pod.signerQualifier);
  if (!pod || !signer) return null;
  const pro = el(m.first('B10'), 1);
  const eventId = x12EventId(m.set, at7.position, 'POD_RECEIVED');
  if (!pro) {
    m.warn(
      'MISSING_REQUIRED',
      'no B1001 carrier reference to find the POD image by',
      'B1001',
      eventId,
    );
  }
  const documentUri = pro ? pod.documentUriTemplate.replace('{ref}', encodeURIComponent(pro)) : '';
  const payload = { signer: el(signer, 1), signedAt: base.occurredAt, documentUri };

  return { ...base, eventId, type: 'POD_RECEIVED' as const, payload };
}

interface StatusRead {
  status: CarrierStatus;
  events: AdapterEvent[];
}

function readStatus(
  m: SetMapping,
  loop: SetSegment[],
  at7: SetSegment,
  common: { site: string; timeZone: string; shipmentRef: string },
): StatusRead {
  const code = el(at7, 1);
  const known = AT7_STATUS[code];
  const type = known?.event ?? null;
  const eventId = type ? x12EventId(m.set, at7.position, type) : undefined;
  const at = el(at7, 5) ? m.instant(at7, [5, 6, 7], common.timeZone, eventId) : null;
  const status: CarrierStatus = {
    code,
    description: known?.description ?? null,
    reason: el(at7, 2),
    appointment: el(at7, 3),
    at,
    shipmentRef: common.shipmentRef,
    eventType: type,
    segment: where(at7, 1),
  };
  if (!type || !eventId) {
    if (!known && code)
      m.warn('NOT_MAPPED', `AT701 ${code} is not a status this product knows`, where(at7, 1));
    return { status, events: [] };
  }
  const base = {
    eventId,
    occurredAt: at ?? '',
    site: common.site,
    shipmentRef: common.shipmentRef,
  };
  const events: AdapterEvent[] = [{ ...base, type, payload: {} }];
  const pod = type === 'DELIVERED' ? podEvent(m, loop, base, at7) : null;
  if (pod) events.push(pod);

  return { status, events };
}

export function map214(set: TransactionSet, context: MappingContext): Map214Result {
  const m = new SetMapping(set, context);
  const ref = shipmentRef(m);
  if (!ref) m.warn('MISSING_REQUIRED', 'B10 names no shipment', 'B10');
  const statusLoops = loops(set.body, 'LX');
  const at7s = statusLoops.flatMap((loop) =>
    loop.filter((s) => s.tag === 'AT7').map((at7) => ({ loop, at7 })),
  );
  const ids = at7s.flatMap(({ at7 }) => {
    const type = AT7_STATUS[el(at7, 1)]?.event;
    return type ? [x12EventId(set, at7.position, type)] : [];
  });
  const site = m.site(party(set.body, 'SF'), ids);
  const read = at7s.map(({ loop, at7 }) => readStatus(m, loop, at7, { ...site, shipmentRef: ref }));
  const events = read.flatMap((r) => r.events);
  const b10 = m.first('B10');
  const scac = el(b10, 3);
  if (b10 && scac && !m.refs.carrier(scac)) {
    m.refs.miss(
      'CARRIER',
      scac,
      where(b10, 3),
      events.map((e) => e.eventId),
    );
  }

  return { ...m.result(events), statuses: read.map((r) => r.status) };
}
