import { prisma } from '@/server/db/client';
import { parseIntakeBody } from '@/server/domain/events/schema';
import { recordEvents, summarise } from '@/server/domain/intake/record-events';
import {
  authenticatePartner,
  requirePermission,
} from '@/server/domain/integration/authenticate-partner';
import { AppError } from '@/server/lib/errors';
import { apiRoute, jsonResponse, readJsonBody } from '@/server/lib/http';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// POST one canonical event or {"events": [...]}: 200 with an answer per item, 422 when every
// item is rejected. The key is checked before the body is read, so strangers learn nothing.
export const POST = apiRoute('api.v1.events', async (request, { requestId }) => {
  const principal = await authenticatePartner(prisma, request.headers.get('authorization'));
  requirePermission(principal, 'events');

  const body = parseIntakeBody(await readJsonBody(request), { now: new Date() });
  if (body.kind === 'NOT_AN_EVENT') throw new AppError('BAD_REQUEST', body.reason);
  if (body.kind === 'TOO_MANY') {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `a batch holds at most ${body.limit} events; got ${body.count}`,
    );
  }
  const answers = await recordEvents(prisma, principal, body.results, { source: 'API', requestId });
  const summary = summarise(answers);

  return jsonResponse(summary, summary.rejected === answers.length ? 422 : 200, requestId);
});
