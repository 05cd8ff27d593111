import { randomUUID } from 'node:crypto';
import { addEvent, DAY, HOUR, MINUTE, newException, type SimContext } from './history-context';
import { DOCUMENTS_URL } from './history-floor';
import type { SimShipment } from './history-types';
import { FIRST_NAMES, LAST_NAMES } from './world-names';

// From the dock to proof of delivery: loading in the booked slot, the trip's departure,
// delivery after the zone's drive (late now and then, which the carrier answers for), and the
// proof of delivery, usually within hours.

const LATE_DELIVERY = 0.03;
const POD_MISMATCH = 0.01;
const LATE_POD = 0.12;

function load(ctx: SimContext, s: SimShipment): boolean {
  const trip = s.trip;
  const booking = s.booking;
  if (!trip || !booking || trip.status === 'CANCELLED' || booking.loadedAt > ctx.now) return false;
  s.t.loaded = booking.loadedAt;
  addEvent(s, 'LOADED', booking.loadedAt, { vehicle: trip.vehicle?.code });

  return true;
}

function depart(ctx: SimContext, s: SimShipment): boolean {
  const trip = s.trip;
  if (!trip?.departedAt || trip.departedAt > ctx.now) return false;
  s.t.departed = trip.departedAt;
  s.trackingRef = `${trip.route.carrier.scac}${String(ctx.rng.int(0, 99_999_999)).padStart(8, '0')}`;
  addEvent(s, 'DEPARTED', trip.departedAt);

  return true;
}

/** A delivery far past its drive time is the carrier's failure, raised when the ETA passes. */
function carrierFailure(ctx: SimContext, s: SimShipment, eta: number, deliveredAt: number): void {
  const openedAt = eta + 2 * HOUR;
  if (openedAt > ctx.now) return;
  const resolved = deliveredAt <= ctx.now;
  const event = s.events.find((e) => e.type === 'DEPARTED');
  s.exceptions.push(
    newException({
      type: 'CARRIER_FAILURE',
      severity: s.dangerousGoods ? 'HIGH' : 'MEDIUM',
      ownerTeam: 'DISPATCH',
      site: s.site,
      shipmentId: s.id,
      ...(event ? { eventId: event.id } : {}),
      title: `${s.ref}: not delivered by ${s.trip?.route.carrier.code ?? 'carrier'} within the expected drive time`,
      detail: {
        shipmentRef: s.ref,
        trackingRef: s.trackingRef,
        expectedBy: new Date(eta).toISOString(),
      },
      openedAt,
      ...(resolved
        ? {
            resolvedAt: deliveredAt,
            resolutionCode: 'DELIVERED_LATE',
            resolutionNote: 'Delivered late; carrier informed',
          }
        : {}),
    }),
  );
}

function deliver(ctx: SimContext, s: SimShipment): boolean {
  const { rng } = ctx;
  const departed = s.t.departed as number;
  const position = (s.trip?.booked.indexOf(s) ?? 0) % 6;
  const eta =
    departed + (s.location.zone.transitHours * HOUR + position * 20 * MINUTE) * rng.float(0.8, 1.2);
  const late = rng.chance(LATE_DELIVERY);
  const deliveredAt = late ? eta + rng.float(6, 30) * HOUR : eta;
  if (late) carrierFailure(ctx, s, eta, deliveredAt);
  if (deliveredAt > ctx.now) return false;
  s.t.delivered = deliveredAt;
  for (const l of s.lines) l.deliveredBase = l.pickedBase;
  const mismatch = rng.chance(POD_MISMATCH) ? s.lines[0] : undefined;
  if (mismatch && mismatch.pickedBase > 1)
    mismatch.deliveredBase = mismatch.pickedBase - rng.int(1, Math.min(5, mismatch.pickedBase - 1));
  addEvent(s, 'DELIVERED', deliveredAt, {
    lines: s.lines.map((l) => ({ lineNo: l.lineNo, quantity: String(l.deliveredBase), uom: 'EA' })),
  });

  return true;
}

function podMismatch(ctx: SimContext, s: SimShipment, podAt: number, eventId: string): void {
  const line = s.lines.find((l) => (l.deliveredBase ?? 0) < l.pickedBase);
  if (!line) return;
  const resolvedAt = s.site.calendar.addOpenMinutes(podAt, ctx.rng.skewed(120, 2_400));
  const exception = newException({
    type: 'POD_MISMATCH',
    severity: 'MEDIUM',
    ownerTeam: 'BILLING',
    site: s.site,
    shipmentId: s.id,
    eventId,
    title: `${s.ref}: proof of delivery shows ${line.deliveredBase} of ${line.pickedBase} EA on line ${line.lineNo}`,
    detail: {
      shipmentRef: s.ref,
      lineNo: line.lineNo,
      shipped: line.pickedBase,
      delivered: line.deliveredBase,
    },
    openedAt: podAt,
    ...(resolvedAt <= ctx.now
      ? {
          resolvedAt,
          resolutionCode: 'CREDIT_NOTE',
          resolutionNote: 'Shortage credited to the customer',
        }
      : {}),
  });
  s.exceptions.push(exception);
}

function receivePod(ctx: SimContext, s: SimShipment): void {
  const { rng } = ctx;
  const delay = rng.chance(LATE_POD) ? rng.float(1, 3) * DAY : rng.float(10, 240) * MINUTE;
  const podAt = (s.t.delivered as number) + delay;
  if (podAt > ctx.now) return;
  s.t.pod = podAt;
  const signedAt = s.t.delivered as number;
  const signer = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
  const documentUri = `${DOCUMENTS_URL}/POD-${s.ref}.pdf`;
  const event = addEvent(s, 'POD_RECEIVED', podAt, {
    signer,
    signedAt: new Date(signedAt).toISOString(),
    documentUri,
  });
  // Recorded as the product's replay records a proof of delivery: by signer, at signing.
  s.documents.push({
    id: randomUUID(),
    kind: 'PROOF_OF_DELIVERY',
    reference: signer,
    uri: documentUri,
    eventId: event.id,
    at: signedAt,
  });
  podMismatch(ctx, s, podAt, event.id);
}

export function simulateTransport(ctx: SimContext, s: SimShipment): void {
  if (!load(ctx, s) || !depart(ctx, s) || !deliver(ctx, s)) return;
  receivePod(ctx, s);
}
