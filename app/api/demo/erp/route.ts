import { prisma } from '@/server/db/client';
import { receiveDemoErp } from '@/server/domain/integration/webhooks/demo-erp-receiver';
import { apiRoute, jsonResponse, readTextBody } from '@/server/lib/http';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// The demo world's simulated ERP receiver of shipment records (404 outside the demo world).
export const POST = apiRoute('api.demo.erp', async (request, { requestId }) => {
  const body = await readTextBody(request, 1024 * 1024);
  const receipt = await receiveDemoErp(prisma, request.headers, body);

  return jsonResponse(receipt, 200, requestId);
});
