import { z } from 'zod';

import { prisma } from '@/server/db/client';
import { uploadCsv, MAX_CSV_BYTES } from '@/server/domain/imports/upload';
import { uploadDocument } from '@/server/domain/imports/upload-document';
import { AppError } from '@/server/lib/errors';
import { apiRoute, jsonResponse, readBodyBytes } from '@/server/lib/http';
import { requireImporterSession } from '../admin-session';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// POST the file itself as the body (any content type), with what it is in the query:
//   ?partnerId=<uuid>&format=CSV&kind=ORDERS|INVENTORY|BIN_LOCATIONS&fileName=orders.csv
//     [&site=<code>: the site of every row, for a file without a site column]
//   ?partnerId=<uuid>&format=X12|EPCIS
// A CSV file answers 201 with its preview (nothing is imported until it is confirmed); an X12 or
// EPCIS document is processed at once and answers 200 with its result (and the 997 for X12).

const query = z.discriminatedUnion('format', [
  z.object({
    format: z.literal('CSV'),
    partnerId: z.uuid('partnerId must be a partner id'),
    kind: z.enum(['ORDERS', 'INVENTORY', 'BIN_LOCATIONS'], {
      error: 'kind must be ORDERS, INVENTORY or BIN_LOCATIONS',
    }),
    fileName: z.string().max(255).default('upload.csv'),
    site: z.string().trim().min(1).max(64).optional(),
  }),
  z.object({
    format: z.enum(['X12', 'EPCIS']),
    partnerId: z.uuid('partnerId must be a partner id'),
  }),
]);

function readQuery(request: Request) {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = query.safeParse(params);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => `${i.path.join('.') || 'format'}: ${i.message}`);
    throw new AppError('BAD_REQUEST', reason.join('; '));
  }

  return parsed.data;
}

export const POST = apiRoute('api.admin.uploads', async (request, { requestId }) => {
  const { actor, viewer, scope } = await requireImporterSession(requestId);
  const input = readQuery(request);
  if (input.format !== 'CSV' && viewer.role !== 'ADMIN') {
    throw new AppError('FORBIDDEN', 'only administrators upload X12 and EPCIS documents');
  }
  const bytes = await readBodyBytes(request, MAX_CSV_BYTES);
  const declared = Number(request.headers.get('content-length') ?? NaN);
  // Bytes against bytes: decoding turns a byte that is not UTF-8 into three, which is the
  // import's own error to name (save it as CSV UTF-8), not a broken upload.
  if (Number.isFinite(declared) && bytes.byteLength !== declared) {
    throw new AppError('BAD_REQUEST', 'the file arrived incomplete; upload it again');
  }
  const body = bytes.toString('utf8');

  if (input.format === 'CSV') {
    const uploaded = await uploadCsv(prisma, actor, scope, { ...input, body });

    return jsonResponse({ format: 'CSV', ...uploaded }, 201, requestId);
  }
  const result = await uploadDocument(prisma, actor, scope, { ...input, body });

  return jsonResponse(result, 200, requestId);
});
