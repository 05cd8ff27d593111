import {
  createKey,
  createKeyInput,
  createPartner,
  createPartnerInput,
  listPartners,
  revokeKey,
  revokeKeyInput,
  rotateKey,
  rotateKeyInput,
  type AdminActor,
} from '../../domain/integration/partner-keys';
import { adminProcedure, adminWriteProcedure, router } from '../trpc';

function actorOf(ctx: { user: { id: string }; requestId: string }): AdminActor {
  return { userId: ctx.user.id, requestId: ctx.requestId };
}

export const partnersRouter = router({
  list: adminProcedure.query(({ ctx }) => listPartners(ctx.db)),

  create: adminWriteProcedure
    .input(createPartnerInput)
    .mutation(({ ctx, input }) => createPartner(ctx.db, actorOf(ctx), input)),

  createKey: adminWriteProcedure
    .input(createKeyInput)
    .mutation(({ ctx, input }) => createKey(ctx.db, actorOf(ctx), input)),

  rotateKey: adminWriteProcedure
    .input(rotateKeyInput)
    .mutation(({ ctx, input }) => rotateKey(ctx.db, actorOf(ctx), input)),

  revokeKey: adminWriteProcedure
    .input(revokeKeyInput)
    .mutation(({ ctx, input }) => revokeKey(ctx.db, actorOf(ctx), input)),
});
