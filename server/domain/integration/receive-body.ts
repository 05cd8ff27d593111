import { AppError } from '../../lib/errors';

// Inbound documents are capped below the event API's limit: a real interchange or EPCIS document
// is a few hundred kilobytes, and the whole body is kept in integration_documents.
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

/** The body as text; 413 past `maxBytes` (declared or counted), read no further than that. */
export async function readTextBody(
  request: Request,
  maxBytes = MAX_DOCUMENT_BYTES,
): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }

  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `the document exceeds ${maxBytes} bytes`);
}
