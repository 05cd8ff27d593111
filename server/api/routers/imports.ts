import { z } from 'zod';

import { confirmImport } from '../../domain/imports/confirm';
import { getImport, listRowErrors, listUploads } from '../../domain/imports/reads';
import { adminProcedure, adminWriteProcedure, router } from '../trpc';

// Uploads themselves arrive through POST /api/admin/uploads (a raw body, not tRPC JSON); these
// procedures list them, follow an import's progress and confirm a previewed one.

const runInput = z.object({ runId: z.uuid() });

export const importsRouter = router({
  uploads: adminProcedure.query(({ ctx }) => listUploads(ctx.db)),

  partners: adminProcedure.query(({ ctx }) =>
    ctx.db.partner.findMany({
      where: { active: true },
      orderBy: { code: 'asc' },
      select: { id: true, code: true, name: true },
    }),
  ),

  sites: adminProcedure.query(({ ctx }) =>
    ctx.db.site.findMany({
      where: { active: true, ...(ctx.user.allSites ? {} : { id: { in: ctx.user.siteIds } }) },
      orderBy: { code: 'asc' },
      select: { code: true, name: true },
    }),
  ),

  get: adminProcedure.input(runInput).query(({ ctx, input }) => getImport(ctx.db, input.runId)),

  errors: adminProcedure
    .input(
      runInput.extend({
        afterId: z.string().regex(/^\d+$/).optional(),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    )
    .query(({ ctx, input }) =>
      listRowErrors(ctx.db, input.runId, {
        afterId: input.afterId === undefined ? undefined : BigInt(input.afterId),
        limit: input.limit,
      }),
    ),

  confirm: adminWriteProcedure
    .input(runInput)
    .mutation(({ ctx, input }) =>
      confirmImport(ctx.db, { userId: ctx.user.id, requestId: ctx.requestId }, input.runId),
    ),
});
