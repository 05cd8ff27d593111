import { randomUUID } from 'node:crypto';

import type { Db } from '../../db/client';
import { AppError } from '../../lib/errors';
import type { AdapterWarning, Unresolved } from '../../integration/types';
import type { PartnerPrincipal } from './authenticate-partner';
import {
  claimDocument,
  type DocumentIntake,
  mappingContextFor,
  recordDocumentEvents,
  saveResult,
  type ReceiveOptions,
} from './receive-document';
import { mapEpcisDocument, recordShippedEpcs } from './shipped-epcs';

// An inbound EPCIS 2.0 JSON-LD document: kept as sent, its events recorded against it. EPCIS has
// no control number, so every document is stored; a resent one yields the same event ids (they
// are the events' own eventIDs or hashes), which the intake answers as duplicates.

export interface EpcisAnswer {
  documentId: string;
  events: DocumentIntake;
  unresolved: Unresolved[];
  warnings: AdapterWarning[];
}

export async function receiveEpcis(
  db: Db,
  principal: PartnerPrincipal,
  body: string,
  options: ReceiveOptions,
): Promise<EpcisAnswer> {
  const raw = parseJson(body);
  const context = await mappingContextFor(db, principal, options.now);
  const processed = await mapEpcisDocument(db, raw, context);
  if (!processed.ok)
    throw new AppError('BAD_REQUEST', `the body is not EPCIS: ${processed.reason}`);

  const id = randomUUID();
  await claimDocument(db, {
    id,
    partnerId: principal.partnerId,
    format: 'EPCIS',
    controlRef: null,
    body,
  });
  const { unresolved, warnings } = processed.result;
  const source = { id, source: 'EPCIS' } as const;
  const answer: EpcisAnswer = {
    documentId: id,
    events: await recordDocumentEvents(db, principal, processed.result, source, options),
    unresolved,
    warnings,
  };
  await recordShippedEpcs(db, id, processed.read, processed.result.events);
  await saveResult(db, id, answer);

  return answer;
}

function parseJson(body: string): unknown {
  if (body.trim() === '')
    throw new AppError('BAD_REQUEST', 'the body is empty; send EPCIS JSON-LD');
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    throw new AppError('BAD_REQUEST', `the body is not JSON: ${(error as Error).message}`);
  }
}
