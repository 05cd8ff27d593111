import { prisma } from '@/server/db/client';
import {
  authenticatePartner,
  requirePermission,
} from '@/server/domain/integration/authenticate-partner';
import { listShipments, parseShipmentQuery } from '@/server/domain/shipments/read-shipments';
import { apiRoute, jsonResponse } from '@/server/lib/http';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// GET ?status=&site=&updatedSince=&limit=&cursor= -> {"shipments": [...], "nextCursor": ...}
export const GET = apiRoute('api.v1.shipments', async (request, { requestId }) => {
  const principal = await authenticatePartner(prisma, request.headers.get('authorization'));
  requirePermission(principal, 'read');
  const query = parseShipmentQuery(new URL(request.url).searchParams);

  return jsonResponse(await listShipments(prisma, principal, query), 200, requestId);
});
