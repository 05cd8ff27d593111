import { openApiDocument } from '@/server/api-docs/build-document';
import { apiRoute, jsonResponse } from '@/server/lib/http';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// The OpenAPI 3.1 document of the partner API, public: it is built from the zod schemas once per
// process, so a caller may keep it for a few minutes.
export const GET = apiRoute('api.v1.openapi', async (_request, { requestId }) => {
  const response = jsonResponse(openApiDocument(), 200, requestId);
  response.headers.set('cache-control', 'public, max-age=300');

  return response;
});
