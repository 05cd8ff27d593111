import type { Tx } from '../../db/client';
import type { CanonicalEvent } from '../events/schema';
import type { RecordedEvent, ReplayLine } from '../events/replay';

// Reads a shipment's recorded events and order lines in the shapes the pure replay takes. The
// `payload` column holds the canonical event as parsed at intake (minus transport fields).

export interface EventRow {
  id: string;
  eventId: string;
  partnerId: string | null;
  type: string;
  occurredAt: Date;
  receivedAt: Date;
  disposition: string;
  shipmentId: string | null;
  payload: unknown;
}

const EVENT_COLUMNS = {
  id: true,
  eventId: true,
  partnerId: true,
  type: true,
  occurredAt: true,
  receivedAt: true,
  disposition: true,
  shipmentId: true,
  payload: true,
} as const;

/** Every event that names one of these references or is already linked to the shipment. */
export async function loadEventRows(
  tx: Tx,
  refs: string[],
  shipmentId: string | null,
): Promise<EventRow[]> {
  return tx.shipmentEvent.findMany({
    where: {
      OR: [
        { orderRef: { in: refs } },
        { shipmentRef: { in: refs } },
        ...(shipmentId ? [{ shipmentId }] : []),
      ],
    },
    select: EVENT_COLUMNS,
    orderBy: [{ occurredAt: 'asc' }, { eventId: 'asc' }],
  });
}

export function canonicalOf(row: EventRow): CanonicalEvent {
  return row.payload as CanonicalEvent;
}

export function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    eventId: row.eventId,
    partnerId: row.partnerId,
    type: row.type,
    occurredAt: row.occurredAt,
    receivedAt: row.receivedAt,
    payload: canonicalOf(row).payload,
  } as RecordedEvent;
}

export async function loadReplayLines(tx: Tx, shipmentId: string): Promise<ReplayLine[]> {
  const lines = await tx.shipmentLine.findMany({
    where: { shipmentId },
    include: { orderLine: { include: { sku: { include: { units: true } } } } },
  });

  return lines.map((l) => ({
    lineNo: l.orderLine.lineNo,
    orderLineId: l.orderLineId,
    orderedQty: l.orderedQty,
    baseUom: l.orderLine.sku.baseUom,
    skuUnits: l.orderLine.sku.units.map((u) => ({ uomCode: u.uomCode, factor: u.factor })),
  }));
}
