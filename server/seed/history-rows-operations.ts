import type { Prisma } from '../db/generated/client';
import { DAY } from './history-context';
import type { TripBook } from './history-trips';
import type { SimShipment } from './history-types';
import { fixed } from './numbers';
import type { RowSet } from './rows';

// Rows of trips and dispatch bookings, and of charges, invoices, their holds and payments.

function tripRows(trips: TripBook, now: number): Prisma.TripCreateManyInput[] {
  return trips.all.map((t) => ({
    id: t.id,
    departureId: t.departure.id,
    serviceDate: new Date(`${t.serviceDate}T00:00:00.000Z`),
    departsAt: new Date(t.departsAt),
    cutoffAt: new Date(t.cutoffAt),
    vehicleId: t.vehicle?.id ?? null,
    status: t.status,
    departedAt: t.departedAt === undefined ? null : new Date(t.departedAt),
    // Dispatch plans a departure's run three days ahead.
    createdAt: new Date(Math.min(now, t.departsAt - 3 * DAY)),
  }));
}

export function addTripRows(rows: RowSet, trips: TripBook, now: number): void {
  rows.defer('trips', () => tripRows(trips, now));
}

function bookingRows(s: SimShipment): Prisma.DispatchBookingCreateManyInput[] {
  const { trip, booking } = s;
  if (!trip || !booking || !trip.vehicle || !trip.dock) return [];

  return [
    {
      id: booking.id,
      shipmentId: s.id,
      tripId: trip.id,
      vehicleId: trip.vehicle.id,
      dockDoorId: trip.dock.id,
      slotStart: new Date(booking.slotStart),
      slotEnd: new Date(booking.slotEnd),
      weightKg: fixed(s.weightKg, 3),
      volumeM3: fixed(s.volumeM3, 4),
      status: s.t.loaded === undefined ? 'BOOKED' : 'LOADED',
      bookedAt: new Date(booking.bookedAt),
    },
  ];
}

const when = (ms: number | undefined) => (ms === undefined ? null : new Date(ms));

function invoiceRows(s: SimShipment): Prisma.InvoiceCreateManyInput[] {
  const inv = s.invoice;
  if (!inv) return [];

  return [
    {
      id: inv.id,
      number: inv.number,
      customerId: s.customer.id,
      shipmentId: s.id,
      status: inv.status,
      currency: s.currency,
      subtotal: inv.subtotal,
      tax: inv.tax,
      total: inv.total,
      createdAt: new Date(inv.createdAt),
      releasedAt: when(inv.releasedAt),
      dueAt: when(inv.dueAt),
      paidAt: when(inv.paidAt),
    },
  ];
}

function chargeRows(s: SimShipment): Prisma.ChargeCreateManyInput[] {
  return s.charges.map((c) => ({
    id: c.id,
    shipmentId: s.id,
    invoiceId: s.invoice?.id ?? null,
    kind: c.kind,
    code: c.code,
    description: c.description,
    amount: c.amount,
    currency: s.currency,
    basis: c.basis as Prisma.InputJsonValue,
    createdAt: new Date(s.chargedAt ?? s.t.released),
  }));
}

function paymentRows(s: SimShipment): Prisma.PaymentCreateManyInput[] {
  const inv = s.invoice;
  if (!inv?.paymentId || inv.paidAt === undefined) return [];

  return [
    {
      id: inv.paymentId,
      customerId: s.customer.id,
      invoiceId: inv.id,
      amount: inv.total,
      currency: s.currency,
      receivedAt: new Date(inv.paidAt),
      reference: `ACH-${inv.number.slice(4)}`,
    },
  ];
}

function invoiceHoldRows(s: SimShipment): Prisma.InvoiceHoldCreateManyInput[] {
  const inv = s.invoice;
  if (!inv?.hold) return [];

  return [
    {
      id: inv.hold.id,
      invoiceId: inv.id,
      reason: 'CHARGE_ANOMALY',
      detail: inv.hold.detail,
      placedAt: new Date(inv.hold.placedAt),
      releasedAt: when(inv.hold.releasedAt),
    },
  ];
}

/** Bookings after shipments; invoices before the charges, payments and holds that point at them. */
export function addOperationRows(rows: RowSet, shipments: SimShipment[]): void {
  rows.defer('dispatch_bookings', () => shipments.flatMap(bookingRows));
  rows.defer('invoices', () => shipments.flatMap(invoiceRows));
  rows.defer('charges', () => shipments.flatMap(chargeRows));
  rows.defer('payments', () => shipments.flatMap(paymentRows));
  rows.defer('invoice_holds', () => shipments.flatMap(invoiceHoldRows));
}
