import type { Tx } from '../../db/client';
import type { DispositionRow } from './apply-writes';
import { Decimal, decimal } from '../../lib/money';
import type { ReplayResult } from '../events/replay';
import type { StoredDocument, StoredLine } from './apply-state';
import type { EventRow } from './load-events';

// Writes what the replay derived about the shipment's lines, documents and events: per-line
// facts, documents and each event's disposition. Set-based, and only what changed, so that a
// shipment with many events costs a handful of queries and a re-run that changes nothing costs
// none. The dispositions are handed back as rows for the apply to write with its own last
// write (nothing in the apply reads them); the shipment's own row (milestones, packing,
// readiness, status) is written once, by the apply, after the gate.

/** numeric(p, places) rounds half away from zero on write: the value as it will read back. */
export function asStored(value: string, places: number): string {
  return decimal(value).toDecimalPlaces(places, Decimal.ROUND_HALF_UP).toString();
}

export async function persistReplay(
  tx: Tx,
  shipmentId: string,
  result: ReplayResult,
  rows: EventRow[],
  stored: { lines: readonly StoredLine[]; documents: readonly StoredDocument[] },
): Promise<{ documents: DocumentRow[]; dispositions: DispositionRow[] }> {
  await persistLines(tx, shipmentId, result, stored.lines);
  const documents = await persistDocuments(tx, shipmentId, result, rows, stored.documents);

  return { documents, dispositions: dispositionsOf(shipmentId, result, rows) };
}

const sameQty = (a: string | null, b: string | null) =>
  a === null || b === null ? a === b : decimal(a).eq(decimal(b));

async function persistLines(
  tx: Tx,
  shipmentId: string,
  result: ReplayResult,
  stored: readonly StoredLine[],
): Promise<void> {
  const byLine = new Map(stored.map((l) => [l.orderLineId, l]));
  const lines = result.facts.lines.map((l) => ({
    order_line_id: l.orderLineId,
    picked_qty: l.pickedQty,
    lot: l.lot,
    location: l.location,
    qc_failed: l.qcFailed,
    delivered_qty: l.deliveredQty,
  }));
  const changed = lines.filter((l) => {
    const s = byLine.get(l.order_line_id);

    return (
      !s ||
      !sameQty(asStored(l.picked_qty, 4), s.pickedQty) ||
      !sameQty(l.delivered_qty === null ? null : asStored(l.delivered_qty, 4), s.deliveredQty) ||
      l.lot !== s.lot ||
      l.location !== s.location ||
      l.qc_failed !== s.qcFailed
    );
  });
  if (changed.length === 0) return;
  await tx.$executeRaw`
    UPDATE shipment_lines sl SET picked_qty = f.picked_qty, lot = f.lot, location = f.location,
      qc_failed = f.qc_failed, delivered_qty = f.delivered_qty, updated_at = now()
    FROM jsonb_to_recordset(${JSON.stringify(changed)}::jsonb)
      AS f(order_line_id uuid, picked_qty numeric, lot text, location text, qc_failed boolean, delivered_qty numeric)
    WHERE sl.shipment_id = ${shipmentId}::uuid AND sl.order_line_id = f.order_line_id`;
}

export type DocumentRow = Omit<StoredDocument, 'voidedAt'> & { shipmentId: string };

const documentKey = (d: Omit<StoredDocument, 'voidedAt'>) =>
  JSON.stringify([
    d.kind,
    d.reference,
    d.uri,
    d.orderLineId,
    d.eventId,
    new Date(d.receivedAt).getTime(),
  ]);

/** The same documents, standing: nothing to rewrite. */
function sameDocuments(now: readonly StoredDocument[], next: readonly DocumentRow[]): boolean {
  if (now.length !== next.length || now.some((d) => d.voidedAt !== null)) return false;
  const a = now.map(documentKey).sort();
  const b = next.map(documentKey).sort();

  return a.every((key, i) => key === b[i]);
}

async function persistDocuments(
  tx: Tx,
  shipmentId: string,
  result: ReplayResult,
  rows: EventRow[],
  stored: readonly StoredDocument[],
): Promise<DocumentRow[]> {
  const rowIdOf = new Map(rows.map((r) => [r.eventId, r.id]));
  const documents: DocumentRow[] = [
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
  const fromEvents = stored.filter((d) => d.eventId !== null);
  // A document the replay makes without an event row would be added again on every run.
  if (documents.every((d) => d.eventId !== null) && sameDocuments(fromEvents, documents))
    return documents;

  // Documents are facts of events: rebuilt from the replay, so that a voided one disappears.
  await tx.shipmentDocument.deleteMany({ where: { shipmentId, eventId: { not: null } } });
  if (documents.length > 0) await tx.shipmentDocument.createMany({ data: documents });

  return documents;
}

/** Each event's disposition and shipment, where the replay changed them. */
function dispositionsOf(
  shipmentId: string,
  result: ReplayResult,
  rows: EventRow[],
): DispositionRow[] {
  const current = new Map(rows.map((r) => [r.id, r]));

  return result.events
    .filter((e) => {
      const row = current.get(e.id);

      return row && (row.disposition !== e.disposition || row.shipmentId !== shipmentId);
    })
    .map((e) => ({ id: e.id, shipment_id: shipmentId, disposition: e.disposition }));
}
