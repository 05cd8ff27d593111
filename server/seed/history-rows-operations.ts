import type { Prisma } from '../db/generated/client';
import { DAY } from './history-context';
import type { TripBook } from './history-trips';
import type { SimShipment } from './history-types';
import { fixed } from './money';
import type { RowSet } from './rows';

// Rows of trips and dispatch bookings, and of charges, invoices, their holds and payments.

export function addTripRows(rows: RowSet, trips: TripBook, now: number): void {
  for (const t of trips.all) {
    rows.add<Prisma.TripCreateManyInput>('trips', {
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
    });
  }
}

function addBooking(rows: RowSet, s: SimShipment): void {
  const { trip, booking } = s;
  if (!trip || !booking || !trip.vehicle || !trip.dock) return;
  rows.add<Prisma.DispatchBookingCreateManyInput>('dispatch_bookings', {
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
  });
}

function addInvoice(rows: RowSet, s: SimShipment): void {
  const inv = s.invoice;
  if (!inv) return;
  const when = (ms: number | undefined) => (ms === undefined ? null : new Date(ms));
  rows.add<Prisma.InvoiceCreateManyInput>('invoices', {
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
  });
}

function addCharges(rows: RowSet, s: SimShipment): void {
  for (const c of s.charges) {
    rows.add<Prisma.ChargeCreateManyInput>('charges', {
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
    });
  }
}

function addSettlement(rows: RowSet, s: SimShipment): void {
  const inv = s.invoice;
  if (!inv) return;
  if (inv.paymentId && inv.paidAt !== undefined) {
    rows.add<Prisma.PaymentCreateManyInput>('payments', {
      id: inv.paymentId,
      customerId: s.customer.id,
      invoiceId: inv.id,
      amount: inv.total,
      currency: s.currency,
      receivedAt: new Date(inv.paidAt),
      reference: `ACH-${inv.number.slice(4)}`,
    });
  }
  if (inv.hold) {
    rows.add<Prisma.InvoiceHoldCreateManyInput>('invoice_holds', {
      id: inv.hold.id,
      invoiceId: inv.id,
      reason: 'CHARGE_ANOMALY',
      detail: inv.hold.detail,
      placedAt: new Date(inv.hold.placedAt),
      releasedAt: inv.hold.releasedAt === undefined ? null : new Date(inv.hold.releasedAt),
    });
  }
}

/** Bookings after shipments; invoices before the charges and payments that point at them. */
export function addOperationRows(rows: RowSet, shipments: SimShipment[]): void {
  shipments.forEach((s) => addBooking(rows, s));
  shipments.forEach((s) => addInvoice(rows, s));
  shipments.forEach((s) => addCharges(rows, s));
  shipments.forEach((s) => addSettlement(rows, s));
}
