import type { MappingActor } from '../../domain/integration/mappings/mutations';
import {
  createMapping,
  deleteMapping,
  requestReapply,
  updateMapping,
} from '../../domain/integration/mappings/mutations';
import {
  listMappings,
  listUnmatched,
  mappingOptions,
} from '../../domain/integration/mappings/reads';
import {
  createMappingInput,
  deleteMappingInput,
  listMappingsInput,
  partnerInput,
  updateMappingInput,
} from '../../domain/integration/mappings/schema';
import { adminProcedure, adminWriteProcedure, router } from '../trpc';

function actorOf(ctx: { user: { id: string }; requestId: string }): MappingActor {
  return { userId: ctx.user.id, requestId: ctx.requestId };
}

export const mappingsRouter = router({
  list: adminProcedure
    .input(listMappingsInput)
    .query(({ ctx, input }) => listMappings(ctx.db, input)),

  options: adminProcedure.query(({ ctx }) => mappingOptions(ctx.db)),

  unmatched: adminProcedure
    .input(partnerInput)
    .query(({ ctx, input }) => listUnmatched(ctx.db, input.partnerId)),

  create: adminWriteProcedure
    .input(createMappingInput)
    .mutation(({ ctx, input }) => createMapping(ctx.db, actorOf(ctx), input)),

  update: adminWriteProcedure
    .input(updateMappingInput)
    .mutation(({ ctx, input }) => updateMapping(ctx.db, actorOf(ctx), input)),

  reapply: adminWriteProcedure
    .input(partnerInput)
    .mutation(({ ctx, input }) => requestReapply(ctx.db, actorOf(ctx), input.partnerId)),

  delete: adminWriteProcedure
    .input(deleteMappingInput)
    .mutation(({ ctx, input }) => deleteMapping(ctx.db, actorOf(ctx), input)),
});
