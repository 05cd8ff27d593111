import type { Db } from '../../../db/client';
import type { InterchangeResult } from '../../../integration/x12/process-interchange';
import {
  storeTenderResponses,
  type ResponseToStore,
  type StoredResponseAnswer,
} from '../../integration/tender-responses';
import {
  storeInvoices,
  type InvoiceToStore,
  type StoredInvoiceAnswer,
  type StoreContext,
} from './store-invoices';

// The carrier documents of one interchange (210 invoices, 990 tender answers), stored in one
// transaction. Only taken sets have an outcome, so nothing of a rejected group is stored.

export interface CarrierDocumentsAnswer {
  invoices: StoredInvoiceAnswer[];
  tenderResponses: StoredResponseAnswer[];
}

export function carrierDocumentsOf(result: Pick<InterchangeResult, 'sets'>): {
  invoices: InvoiceToStore[];
  responses: ResponseToStore[];
} {
  const invoices: InvoiceToStore[] = [];
  const responses: ResponseToStore[] = [];
  for (const { controlNumber: set, outcome } of result.sets) {
    if (outcome?.kind === 'INVOICE' && outcome.result.invoice) {
      const warnings = outcome.result.warnings.map((w) => ({ ...w, set }));
      invoices.push({ set, invoice: outcome.result.invoice, warnings });
    }
    if (outcome?.kind === 'TENDER_RESPONSE' && outcome.result.response) {
      responses.push({ set, response: outcome.result.response });
    }
  }

  return { invoices, responses };
}

export async function storeCarrierDocuments(
  db: Db,
  result: Pick<InterchangeResult, 'sets'>,
  context: StoreContext,
): Promise<CarrierDocumentsAnswer> {
  const { invoices, responses } = carrierDocumentsOf(result);
  if (invoices.length === 0 && responses.length === 0) {
    return { invoices: [], tenderResponses: [] };
  }

  return db.$transaction(
    async (tx) => ({
      invoices: await storeInvoices(tx, invoices, context),
      tenderResponses: await storeTenderResponses(tx, responses, context),
    }),
    { maxWait: 15_000, timeout: 30_000 },
  );
}
