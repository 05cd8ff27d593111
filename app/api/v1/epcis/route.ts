import { prisma } from '@/server/db/client';
import {
  authenticatePartner,
  requirePermission,
} from '@/server/domain/integration/authenticate-partner';
import { readDocumentBody } from '@/server/domain/integration/receive-body';
import { receiveEpcis } from '@/server/domain/integration/receive-epcis';
import { apiRoute, jsonResponse } from '@/server/lib/http';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// POST an EPCIS 2.0 JSON-LD document. A document that was read answers 200 with its events,
// the references that matched nothing and the warnings; 400 only when it is not EPCIS at all.
// The key is checked before the body is read.
export const POST = apiRoute('api.v1.epcis', async (request, { requestId }) => {
  const principal = await authenticatePartner(prisma, request.headers.get('authorization'));
  requirePermission(principal, 'epcis');

  const body = await readDocumentBody(request);
  const answer = await receiveEpcis(prisma, principal, body, { requestId, now: new Date() });

  return jsonResponse(answer, 200, requestId);
});
