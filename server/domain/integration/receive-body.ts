import { readTextBody } from '../../lib/http';

// Inbound documents are capped below the event API's limit: a real interchange or EPCIS document
// is a few hundred kilobytes, and the whole body is kept in integration_documents.
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

/** The document's body as text; 413 past the document limit. */
export function readDocumentBody(request: Request): Promise<string> {
  return readTextBody(request, MAX_DOCUMENT_BYTES);
}
