import type { Tx } from '../../db/client';
import type { ReplayResult } from '../events/replay';
import type { EventRow } from './load-events';

// Writes what the replay derived: milestones, per-line facts, packing facts, documents and each
// event's disposition. Set-based, so that a shipment with many events costs a handful of queries.

export async function persistReplay(
  tx: Tx,
  shipmentId: string,
  result: ReplayResult,
  rows: EventRow[],
): Promise<void> {
  const m = result.milestones;
  const packing = result.facts.packing;
  await tx.shipment.update({
    where: { id: shipmentId },
    data: {
      pickedAt: m.pickedAt,
      qcAt: m.qcAt,
      packedStagedAt: m.packedStagedAt,
      loadedAt: m.loadedAt,
      departedAt: m.departedAt,
      arrivedAt: m.arrivedAt,
      deliveredAt: m.deliveredAt,
      podReceivedAt: m.podReceivedAt,
      cancelledAt: m.cancelledAt,
      handlingUnits: packing?.handlingUnits ?? null,
      weightKg: packing?.weightKg ?? null,
      volumeM3: packing?.volumeM3 ?? null,
      stagedDock: packing?.dock ?? null,
    },
  });
  await persistLines(tx, shipmentId, result);
  await persistDocuments(tx, shipmentId, result, rows);
  await persistDispositions(tx, shipmentId, result, rows);
}

async function persistLines(tx: Tx, shipmentId: string, result: ReplayResult): Promise<void> {
  const lines = result.facts.lines.map((l) => ({
    order_line_id: l.orderLineId,
    picked_qty: l.pickedQty,
    lot: l.lot,
    location: l.location,
    qc_failed: l.qcFailed,
    delivered_qty: l.deliveredQty,
  }));
  await tx.$executeRaw`
    UPDATE shipment_lines sl SET picked_qty = f.picked_qty, lot = f.lot, location = f.location,
      qc_failed = f.qc_failed, delivered_qty = f.delivered_qty, updated_at = now()
    FROM jsonb_to_recordset(${JSON.stringify(lines)}::jsonb)
      AS f(order_line_id uuid, picked_qty numeric, lot text, location text, qc_failed boolean, delivered_qty numeric)
    WHERE sl.shipment_id = ${shipmentId}::uuid AND sl.order_line_id = f.order_line_id`;
}

async function persistDocuments(
  tx: Tx,
  shipmentId: string,
  result: ReplayResult,
  rows: EventRow[],
): Promise<void> {
  const rowIdOf = new Map(rows.map((r) => [r.eventId, r.id]));
  // Documents are facts of events: rebuilt from the replay, so that a voided one disappears.
  await tx.shipmentDocument.deleteMany({ where: { shipmentId, eventId: { not: null } } });
  const documents = [
    ...result.facts.documents.map((d) => ({
      shipmentId,
      kind: d.kind,
      reference: d.reference,
      uri: d.uri,
      orderLineId: d.orderLineId,
      eventId: rowIdOf.get(d.eventId) ?? null,
      receivedAt: d.occurredAt,
    })),
    ...(result.facts.pod
      ? [
          {
            shipmentId,
            kind: 'PROOF_OF_DELIVERY' as const,
            reference: result.facts.pod.signer,
            uri: result.facts.pod.documentUri,
            orderLineId: null,
            eventId: rowIdOf.get(result.facts.pod.eventId) ?? null,
            receivedAt: result.facts.pod.signedAt,
          },
        ]
      : []),
  ];
  if (documents.length > 0) await tx.shipmentDocument.createMany({ data: documents });
}

async function persistDispositions(
  tx: Tx,
  shipmentId: string,
  result: ReplayResult,
  rows: EventRow[],
): Promise<void> {
  const current = new Map(rows.map((r) => [r.id, r]));
  const changed = result.events
    .filter((e) => {
      const row = current.get(e.id);

      return row && (row.disposition !== e.disposition || row.shipmentId !== shipmentId);
    })
    .map((e) => ({ id: e.id, disposition: e.disposition }));
  if (changed.length === 0) return;
  await tx.$executeRaw`
    UPDATE shipment_events se SET disposition = c.disposition::"EventDisposition", shipment_id = ${shipmentId}::uuid,
      voided_at = CASE WHEN c.disposition = 'VOIDED' THEN coalesce(se.voided_at, now()) ELSE NULL END
    FROM jsonb_to_recordset(${JSON.stringify(changed)}::jsonb) AS c(id uuid, disposition text)
    WHERE se.id = c.id`;
}
