import type { Tx } from '../../db/client';
import type { Prisma } from '../../db/generated/client';
import type { TenderResponse } from '../../integration/x12/map-990';
import { writeAudit } from '../audit/write-audit';
import { carrierIds, loadShipmentCandidates } from '../billing/carrier-invoices/load-candidates';
import { matchShipment } from '../billing/carrier-invoices/match-shipment';
import type { StoreContext } from '../billing/carrier-invoices/store-invoices';

// A carrier's 990 answers, stored in the caller's transaction, each linked to the shipment its
// B102 names when one does. A carrier may answer the same tender twice (accept, then decline):
// every answer is kept, the latest by receipt is the one that stands.
// SHORTCOMING: the tenders we send (204) are not stored, so an answer links to its shipment
// only, never to the tender it answers. The mark goes when outbound 204s are kept.

export interface ResponseToStore {
  set: string;
  response: TenderResponse;
}

export interface StoredResponseAnswer {
  set: string;
  id: string;
  shipmentRef: string;
  carrierScac: string;
  decision: TenderResponse['decision'];
  /** Our shipment it was linked to, or null when its B102 names none of ours. */
  linkedShipmentRef: string | null;
}

export async function storeTenderResponses(
  tx: Tx,
  responses: readonly ResponseToStore[],
  context: StoreContext,
): Promise<StoredResponseAnswer[]> {
  if (responses.length === 0) return [];
  const [candidates, carriers] = await Promise.all([
    loadShipmentCandidates(
      tx,
      responses.map((r) => r.response.shipmentRef),
    ),
    carrierIds(
      tx,
      responses.map((r) => r.response.carrierCode),
    ),
  ]);
  const answers: StoredResponseAnswer[] = [];
  for (const { set, response } of responses) {
    const match = matchShipment([response.shipmentRef], candidates);
    const reason = response.remarks.join('; ') || null;
    const row = await tx.tenderResponse.create({
      data: {
        documentId: context.documentId,
        partnerId: context.partnerId,
        carrierScac: response.carrierScac,
        carrierId: response.carrierCode ? (carriers.get(response.carrierCode) ?? null) : null,
        shipmentRef: response.shipmentRef,
        shipmentId: match.kind === 'MATCHED' ? match.shipmentId : null,
        decision: response.decision,
        reason,
        respondedOn: response.date ? new Date(`${response.date}T00:00:00Z`) : null,
        references: response.references as unknown as Prisma.InputJsonValue,
      },
      select: { id: true },
    });
    const linkedShipmentRef = match.kind === 'MATCHED' ? match.shipmentRef : null;
    await writeAudit(tx, {
      entityType: 'tender_response',
      entityId: row.id,
      action: 'tender_response.received',
      actor: { type: 'PARTNER', id: context.partnerId },
      requestId: context.requestId,
      data: {
        carrierScac: response.carrierScac,
        shipmentRef: response.shipmentRef,
        decision: response.decision,
        reason,
        linkedShipmentRef,
        documentId: context.documentId,
      },
    });
    answers.push({
      set,
      id: row.id,
      shipmentRef: response.shipmentRef,
      carrierScac: response.carrierScac,
      decision: response.decision,
      linkedShipmentRef,
    });
  }

  return answers;
}
