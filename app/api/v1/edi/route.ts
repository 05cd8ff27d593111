import { prisma } from '@/server/db/client';
import {
  authenticatePartner,
  requirePermission,
} from '@/server/domain/integration/authenticate-partner';
import { readDocumentBody } from '@/server/domain/integration/receive-body';
import { receiveX12 } from '@/server/domain/integration/receive-x12';
import { apiRoute, jsonResponse } from '@/server/lib/http';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// POST a raw X12 interchange, any text content type. A body that was read answers 200 with its
// result and 997 even when the 997 rejects it; 400 only when it is not X12 at all. The key is
// checked before the body is read.
export const POST = apiRoute('api.v1.edi', async (request, { requestId }) => {
  const principal = await authenticatePartner(prisma, request.headers.get('authorization'));
  requirePermission(principal, 'edi');

  const body = await readDocumentBody(request);
  const answer = await receiveX12(prisma, principal, body, { requestId, now: new Date() });

  return jsonResponse(answer, 200, requestId);
});
