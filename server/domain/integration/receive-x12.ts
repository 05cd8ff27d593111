import { randomUUID } from 'node:crypto';

import type { Db } from '../../db/client';
import { AppError } from '../../lib/errors';
import type { EnvelopeFault } from '../../integration/x12/envelope';
import { processX12, type InterchangeResult } from '../../integration/x12/process-interchange';
import { readInterchange } from '../../integration/x12/read-interchange';
import type { AdapterWarning, Unresolved } from '../../integration/types';
import {
  storeCarrierDocuments,
  type CarrierDocumentsAnswer,
} from '../billing/carrier-invoices/carrier-documents';
import type { PartnerPrincipal } from './authenticate-partner';
import {
  ackControlNumbers,
  claimDocument,
  type DocumentIntake,
  mappingContextFor,
  recordDocumentEvents,
  saveResult,
  type ReceiveOptions,
} from './receive-document';

// An inbound X12 body: one integration_documents row per interchange (its key, sender and ISA13,
// is the control reference duplicates are found by), its events recorded against that row, and
// the 997 (and TA1) in the answer whatever the envelope's verdict.
// The 210 invoices and 990 tender answers of the taken sets are stored (carrier-documents.ts)
// before the events, so that a failure of either removes the document and a retry reads it anew.
// SHORTCOMING: a 204 read inbound is reported by kind only; nothing stores it. The mark goes
// when tenders are kept.
// SHORTCOMING: a body of several interchanges keeps the whole body on each interchange's row.

export interface EnvelopeVerdict {
  faults: EnvelopeFault[];
  groups: {
    controlNumber: string;
    functionalId: string;
    status: string;
    faults: EnvelopeFault[];
  }[];
  sets: {
    type: string;
    controlNumber: string;
    groupControlNumber: string;
    status: string;
    taken: boolean;
    faults: EnvelopeFault[];
    read: string | null;
  }[];
}

export interface InterchangeAnswer {
  documentId: string;
  key: string;
  duplicate: false;
  envelope: EnvelopeVerdict;
  events: DocumentIntake;
  carrierDocuments: CarrierDocumentsAnswer;
  unresolved: Unresolved[];
  warnings: AdapterWarning[];
  ack997: string | null;
  ta1: string | null;
}

export type DuplicateAnswer =
  | (Omit<InterchangeAnswer, 'duplicate'> & { duplicate: true; firstReceivedAt: string })
  | { documentId: string; key: string; duplicate: true; firstReceivedAt: string; inProgress: true };

export interface X12Answer {
  interchanges: (InterchangeAnswer | DuplicateAnswer)[];
  /** Segments outside any interchange, ignored. */
  strays: number;
}

export async function receiveX12(
  db: Db,
  principal: PartnerPrincipal,
  raw: string,
  options: ReceiveOptions,
): Promise<X12Answer> {
  const read = readInterchange(raw);
  if (!read.ok) throw new AppError('BAD_REQUEST', `the body is not X12: ${read.reason}`);
  const [context, partner] = await Promise.all([
    mappingContextFor(db, principal, options.now),
    db.partner.findUniqueOrThrow({ where: { id: principal.partnerId }, select: { lenient: true } }),
  ]);
  const ids: string[] = [];
  const idAt = (index: number) => (ids[index] ??= randomUUID());
  const processed = processX12(raw, {
    context,
    lenient: partner.lenient,
    ack: { controlNumbers: (index) => ackControlNumbers(idAt(index)), now: options.now },
  });
  if (!processed.ok) throw new AppError('BAD_REQUEST', `the body is not X12: ${processed.reason}`);

  // One at a time: a body may repeat an interchange, and the second copy must see the first.
  const interchanges: X12Answer['interchanges'] = [];
  for (const [index, result] of processed.interchanges.entries()) {
    const document = { id: idAt(index), body: raw };
    interchanges.push(await receiveInterchange(db, principal, result, document, options));
  }

  return { interchanges, strays: processed.strays.length };
}

async function receiveInterchange(
  db: Db,
  principal: PartnerPrincipal,
  result: InterchangeResult,
  document: { id: string; body: string },
  options: ReceiveOptions,
): Promise<InterchangeAnswer | DuplicateAnswer> {
  const { id } = document;
  const first = await claimDocument(db, {
    id,
    partnerId: principal.partnerId,
    format: 'X12',
    controlRef: result.key,
    body: document.body,
  });
  if (first) return duplicateOf(first, result.key);

  const carrierDocuments = await storeCarrierDocuments(db, result, {
    partnerId: principal.partnerId,
    documentId: id,
    requestId: options.requestId,
  }).catch(async (error) => {
    await db.integrationDocument.delete({ where: { id } });
    throw error;
  });
  const events = await recordDocumentEvents(db, principal, result, { id, source: 'EDI' }, options);
  const answer: InterchangeAnswer = {
    documentId: id,
    key: result.key,
    duplicate: false,
    envelope: verdictOf(result),
    events,
    carrierDocuments,
    unresolved: result.unresolved,
    warnings: result.warnings,
    ack997: result.ack997,
    ta1: result.ta1,
  };
  await saveResult(db, id, answer);

  return answer;
}

function duplicateOf(
  first: { id: string; receivedAt: Date; result: unknown },
  key: string,
): DuplicateAnswer {
  const firstReceivedAt = first.receivedAt.toISOString();
  // A first copy still being recorded (or one whose recording failed) has no result yet.
  if (first.result === null) {
    return { documentId: first.id, key, duplicate: true, firstReceivedAt, inProgress: true };
  }

  return { ...(first.result as InterchangeAnswer), duplicate: true, firstReceivedAt };
}

function verdictOf({ check, sets }: InterchangeResult): EnvelopeVerdict {
  return {
    faults: check.faults,
    groups: check.groups.map(({ group, status, faults }) => ({
      controlNumber: group.controlNumber,
      functionalId: group.functionalId,
      status,
      faults,
    })),
    sets: sets.map((set) => ({
      type: set.type,
      controlNumber: set.controlNumber,
      groupControlNumber: set.groupControlNumber,
      status: set.status,
      taken: set.taken,
      faults: set.faults,
      read: set.outcome?.kind ?? null,
    })),
  };
}
