import { apiRoute, jsonResponse } from '@/server/lib/http';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// No database, no key: the benchmark's baseline for what the server itself costs per request.
export const GET = apiRoute('api.v1.ping', async (_request, { requestId }) =>
  jsonResponse({ ok: true }, 200, requestId),
);
