import { prisma } from '@/server/db/client';
import {
  authenticatePartner,
  requirePermission,
} from '@/server/domain/integration/authenticate-partner';
import { shipmentByRef } from '@/server/domain/shipments/read-shipments';
import { apiRoute, jsonResponse } from '@/server/lib/http';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

interface RouteParams {
  params: Promise<{ ref: string }>;
}

// GET one shipment by its ref; another site's shipment is a 404, as an unknown one is.
export const GET = apiRoute<RouteParams>(
  'api.v1.shipment',
  async (request, { requestId }, { params }) => {
    const principal = await authenticatePartner(prisma, request.headers.get('authorization'));
    requirePermission(principal, 'read');
    const { ref } = await params;

    return jsonResponse(await shipmentByRef(prisma, principal, ref), 200, requestId);
  },
);
