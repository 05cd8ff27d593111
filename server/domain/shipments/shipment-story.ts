import type { Db } from '../../db/client';
import type { ReturnReceivedPayload } from '../events/payloads';

// What the shipment page shows beyond its header: every event in event-time order (late and
// voided ones marked), the readiness decisions, the exceptions, and the state of the dispatch,
// billing and ERP branches.

export async function shipmentStory(db: Db, shipmentId: string) {
  const [events, decisions, exceptions, bookings, charges, outbox, holds, returns] =
    await Promise.all([
      db.shipmentEvent.findMany({
        where: { shipmentId },
        orderBy: [{ occurredAt: 'asc' }, { eventId: 'asc' }],
        select: {
          id: true,
          eventId: true,
          type: true,
          source: true,
          occurredAt: true,
          receivedAt: true,
          disposition: true,
          voidedAt: true,
          partner: { select: { code: true } },
        },
      }),
      db.readinessDecision.findMany({
        where: { shipmentId },
        orderBy: { decidedAt: 'desc' },
        take: 20,
      }),
      db.exception.findMany({
        where: { shipmentId },
        orderBy: { openedAt: 'desc' },
        select: {
          id: true,
          type: true,
          status: true,
          ownerTeam: true,
          title: true,
          openedAt: true,
          resolvedAt: true,
          resolutionCode: true,
        },
      }),
      db.dispatchBooking.findMany({
        where: { shipmentId },
        orderBy: { bookedAt: 'desc' },
        include: {
          trip: {
            include: { departure: { include: { route: { select: { code: true, name: true } } } } },
          },
          vehicle: { select: { code: true } },
          dockDoor: { select: { code: true } },
        },
      }),
      db.charge.findMany({ where: { shipmentId }, orderBy: { createdAt: 'asc' } }),
      db.outboxMessage.findMany({
        where: { aggregateId: shipmentId },
        orderBy: { createdAt: 'desc' },
        take: 5,
      }),
      db.hold.findMany({ where: { shipmentId }, orderBy: { placedAt: 'desc' } }),
      // Returns carry their counted lines into the timeline; other events show by type alone.
      db.shipmentEvent.findMany({
        where: { shipmentId, type: 'RETURN_RECEIVED' },
        select: { id: true, payload: true },
      }),
    ]);

  return {
    events,
    returnedLines: Object.fromEntries(
      returns.map((r) => [r.id, (r.payload as { payload: ReturnReceivedPayload }).payload.lines]),
    ),
    decisions: decisions.map((d) => ({ ...d, checks: decisionChecks(d.checks) })),
    exceptions,
    holds,
    branches: {
      dispatch: bookings,
      billing: {
        charges: charges.filter((c) => !c.voidedAt),
        voided: charges.filter((c) => c.voidedAt).length,
      },
      erp: outbox.map((o) => ({
        id: o.id,
        topic: o.topic,
        createdAt: o.createdAt,
        deliveredAt: o.deliveredAt,
        attempts: o.attempts,
        lastError: o.lastError,
      })),
    },
  };
}

/** The decision record's JSON: `{ items: CheckResult[], plannedDeparture, backorder }`. */
export function decisionChecks(checks: unknown) {
  const value = (checks ?? {}) as {
    items?: {
      check: string;
      verdict: string;
      reason: string;
      ownerTeam: string;
      holdReason?: string;
      inputs: unknown;
      details: unknown[];
    }[];
    plannedDeparture?: { departsAt: string; cutoffAt: string; serviceDate: string } | null;
    backorder?: { skuCode: string; quantity: string; uom: string }[];
  };

  return {
    items: value.items ?? [],
    plannedDeparture: value.plannedDeparture ?? null,
    backorder: value.backorder ?? [],
  };
}

export type ShipmentStory = Awaited<ReturnType<typeof shipmentStory>>;
