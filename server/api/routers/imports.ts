import { z } from 'zod';

import { confirmImport } from '../../domain/imports/confirm';
import { getImport, listRowErrors, listUploads } from '../../domain/imports/reads';
import type { ImportViewer } from '../../domain/imports/types';
import { privilegedProcedure, roleProcedure, router } from '../trpc';

// Uploads themselves arrive through POST /api/admin/uploads (a raw body, not tRPC JSON); these
// procedures list them, follow an import's progress and confirm a previewed one. Admins see every
// upload; a warehouse supervisor imports CSV into their own sites and sees their own imports.

const importerProcedure = roleProcedure('ADMIN', 'WAREHOUSE_SUPERVISOR');
const importerWriteProcedure = privilegedProcedure('ADMIN', 'WAREHOUSE_SUPERVISOR');

const runInput = z.object({ runId: z.uuid() });

function viewerOf(ctx: { user: { id: string; role: string } }): ImportViewer {
  return {
    userId: ctx.user.id,
    role: ctx.user.role === 'ADMIN' ? 'ADMIN' : 'WAREHOUSE_SUPERVISOR',
  };
}

export const importsRouter = router({
  uploads: importerProcedure.query(({ ctx }) => listUploads(ctx.db, viewerOf(ctx))),

  partners: importerProcedure.query(({ ctx }) =>
    ctx.db.partner.findMany({
      where: { active: true },
      orderBy: { code: 'asc' },
      select: { id: true, code: true, name: true },
    }),
  ),

  sites: importerProcedure.query(({ ctx }) =>
    ctx.db.site.findMany({
      where: { active: true, ...(ctx.user.allSites ? {} : { id: { in: ctx.user.siteIds } }) },
      orderBy: { code: 'asc' },
      select: { code: true, name: true },
    }),
  ),

  get: importerProcedure
    .input(runInput)
    .query(({ ctx, input }) => getImport(ctx.db, viewerOf(ctx), input.runId)),

  errors: importerProcedure
    .input(
      runInput.extend({
        afterId: z.string().regex(/^\d+$/).optional(),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    )
    .query(({ ctx, input }) =>
      listRowErrors(ctx.db, viewerOf(ctx), input.runId, {
        afterId: input.afterId === undefined ? undefined : BigInt(input.afterId),
        limit: input.limit,
      }),
    ),

  confirm: importerWriteProcedure
    .input(runInput)
    .mutation(({ ctx, input }) =>
      confirmImport(ctx.db, { ...viewerOf(ctx), requestId: ctx.requestId }, input.runId),
    ),
});
