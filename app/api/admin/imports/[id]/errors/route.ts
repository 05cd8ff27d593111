import { z } from 'zod';

import { prisma } from '@/server/db/client';
import { rowErrorsCsv } from '@/server/domain/imports/reads';
import { AppError } from '@/server/lib/errors';
import { apiRoute, REQUEST_ID_HEADER } from '@/server/lib/http';
import { requireImporterSession } from '../../../admin-session';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// GET an import's row errors as a CSV file: line, column, value, reason.
export const GET = apiRoute<{ params: Promise<{ id: string }> }>(
  'api.admin.import-errors',
  async (_request, { requestId }, route) => {
    const { viewer } = await requireImporterSession(requestId);
    const { id } = await route.params;
    if (!z.uuid().safeParse(id).success) throw new AppError('NOT_FOUND', 'no such import');
    const stream = await rowErrorsCsv(prisma, viewer, id);

    return new Response(stream, {
      status: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="import-${id}-errors.csv"`,
        'cache-control': 'no-store',
        [REQUEST_ID_HEADER]: requestId,
      },
    });
  },
);
