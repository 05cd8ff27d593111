import { createUser, setUserActive, updateUser } from '../../domain/users/mutations';
import { listUsers, userFormOptions } from '../../domain/users/reads';
import { createUserInput, setUserActiveInput, updateUserInput } from '../../domain/users/schema';
import type { UserActor } from '../../domain/users/types';
import { adminProcedure, adminWriteProcedure, router } from '../trpc';

function actorOf(ctx: { user: { id: string }; requestId: string }): UserActor {
  return { userId: ctx.user.id, requestId: ctx.requestId };
}

export const usersRouter = router({
  list: adminProcedure.query(({ ctx }) => listUsers(ctx.db)),

  formOptions: adminProcedure.query(({ ctx }) => userFormOptions(ctx.db)),

  create: adminWriteProcedure
    .input(createUserInput)
    .mutation(({ ctx, input }) => createUser(ctx.db, actorOf(ctx), input)),

  update: adminWriteProcedure
    .input(updateUserInput)
    .mutation(({ ctx, input }) => updateUser(ctx.db, actorOf(ctx), input)),

  setActive: adminWriteProcedure
    .input(setUserActiveInput)
    .mutation(({ ctx, input }) => setUserActive(ctx.db, actorOf(ctx), input)),
});
