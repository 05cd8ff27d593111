import type { Tx } from '../../../db/client';
import type { Prisma } from '../../../db/generated/client';
import { Decimal, toStorage } from '../../../lib/money';
import type { CarrierInvoice } from '../../../integration/x12/map-210';
import type { AdapterWarning } from '../../../integration/types';
import { writeAudit } from '../../audit/write-audit';
import { carrierIds, loadShipmentCandidates } from './load-candidates';
import { matchShipment } from './match-shipment';

// Stores the freight invoices of one inbound document, in the caller's transaction, each with
// its charge lines and its audit row. One invoice per carrier and invoice number: a second copy
// is never stored; it is answered `duplicate` when it says the same, `conflict` when its total
// or lines differ (a corrected invoice must come under a new number, or be settled by hand).

export interface InvoiceToStore {
  /** ST02 of the set it was read from. */
  set: string;
  invoice: CarrierInvoice;
  warnings: AdapterWarning[];
}

export interface StoredInvoiceAnswer {
  set: string;
  invoiceNumber: string;
  carrierScac: string;
  outcome: 'stored' | 'duplicate' | 'conflict';
  /** The stored invoice: this one, or the first copy for a duplicate or conflict. */
  id: string;
  shipmentRef: string | null;
  unmatchedReason: string | null;
  detail?: string;
}

export interface StoreContext {
  partnerId: string | null;
  documentId: string | null;
  requestId: string | null;
}

/** What a copy is compared by: its total and its charge lines, in order. */
function fingerprint(total: string, charges: readonly { code: string; amount: string }[]) {
  const lines = charges.map((c) => `${c.code}=${new Decimal(c.amount).toFixed(4)}`);

  return [new Decimal(total).toFixed(4), ...lines].join('|');
}

export async function storeInvoices(
  tx: Tx,
  invoices: readonly InvoiceToStore[],
  context: StoreContext,
): Promise<StoredInvoiceAnswer[]> {
  if (invoices.length === 0) return [];
  const refs = invoices.flatMap((i) => i.invoice.shipmentRefs);
  const [candidates, carriers] = await Promise.all([
    loadShipmentCandidates(tx, refs),
    carrierIds(
      tx,
      invoices.map((i) => i.invoice.carrierCode),
    ),
  ]);
  const answers: StoredInvoiceAnswer[] = [];
  for (const item of invoices) {
    answers.push(await storeOne(tx, item, { candidates, carriers, context }));
  }

  return answers;
}

interface Loaded {
  candidates: Awaited<ReturnType<typeof loadShipmentCandidates>>;
  carriers: Map<string, string>;
  context: StoreContext;
}

async function storeOne(
  tx: Tx,
  { set, invoice, warnings }: InvoiceToStore,
  { candidates, carriers, context }: Loaded,
): Promise<StoredInvoiceAnswer> {
  const { carrierScac, invoiceNumber } = invoice;
  const base = { set, invoiceNumber, carrierScac };
  // Two documents carrying one invoice take turns here; the unique index is the backstop.
  const lock = `carrier-invoice:${carrierScac}:${invoiceNumber}`;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${lock}, 0))`;
  const first = await tx.carrierInvoice.findUnique({
    where: { carrierScac_invoiceNumber: { carrierScac, invoiceNumber } },
    include: { charges: { orderBy: { position: 'asc' } }, shipment: { select: { ref: true } } },
  });
  if (first) return duplicateOf(base, first, invoice);

  const match = matchShipment(invoice.shipmentRefs, candidates);
  const row = await tx.carrierInvoice.create({
    data: {
      documentId: context.documentId,
      partnerId: context.partnerId,
      carrierScac,
      carrierId: invoice.carrierCode ? (carriers.get(invoice.carrierCode) ?? null) : null,
      invoiceNumber,
      invoiceDate: invoice.invoiceDate ? new Date(`${invoice.invoiceDate}T00:00:00Z`) : null,
      currency: invoice.currency,
      total: toStorage(invoice.total),
      netAmountDue: invoice.netAmountDue === null ? null : toStorage(invoice.netAmountDue),
      shipmentRefs: invoice.shipmentRefs,
      shipmentId: match.kind === 'MATCHED' ? match.shipmentId : null,
      match: match.kind,
      unmatchedReason: match.kind === 'UNMATCHED' ? match.reason : null,
      warnings: warnings.length ? (warnings as unknown as Prisma.InputJsonValue) : undefined,
      charges: {
        create: invoice.charges.map((c, index) => ({
          position: index + 1,
          lineNo: c.lineNo,
          code: c.code,
          description: c.description,
          amount: toStorage(c.amount),
          currency: invoice.currency,
          rate: c.rate,
          rateQualifier: c.rateQualifier,
        })),
      },
    },
    select: { id: true },
  });
  await writeAudit(tx, {
    entityType: 'carrier_invoice',
    entityId: row.id,
    action: 'carrier_invoice.received',
    actor: { type: 'PARTNER', id: context.partnerId },
    requestId: context.requestId,
    data: {
      carrierScac,
      invoiceNumber,
      total: invoice.total,
      currency: invoice.currency,
      documentId: context.documentId,
      match: match.kind,
      shipmentRef: match.kind === 'MATCHED' ? match.shipmentRef : null,
    },
  });

  return {
    ...base,
    outcome: 'stored',
    id: row.id,
    shipmentRef: match.kind === 'MATCHED' ? match.shipmentRef : null,
    unmatchedReason: match.kind === 'UNMATCHED' ? match.reason : null,
  };
}

function duplicateOf(
  base: { set: string; invoiceNumber: string; carrierScac: string },
  first: {
    id: string;
    total: Prisma.Decimal;
    receivedAt: Date;
    unmatchedReason: string | null;
    shipment: { ref: string } | null;
    charges: { code: string; amount: Prisma.Decimal }[];
  },
  copy: CarrierInvoice,
): StoredInvoiceAnswer {
  const stored = fingerprint(
    first.total.toString(),
    first.charges.map((c) => ({ code: c.code, amount: c.amount.toString() })),
  );
  const same = stored === fingerprint(copy.total, copy.charges);
  const when = first.receivedAt.toISOString();

  return {
    ...base,
    outcome: same ? 'duplicate' : 'conflict',
    id: first.id,
    shipmentRef: first.shipment?.ref ?? null,
    unmatchedReason: first.unmatchedReason,
    detail: same
      ? `first received at ${when}; not stored again`
      : `first received at ${when} with a total of ${new Decimal(first.total.toString()).toFixed(2)}` +
        ` and ${first.charges.length} charge line(s); this copy (total ${copy.total}, ` +
        `${copy.charges.length} line(s)) differs and was not stored: send a corrected ` +
        'invoice under a new number',
  };
}
