import { dispatchBoard } from '../queries/dispatch-board';
import { roleProcedure, router } from '../trpc';

export const dispatchRouter = router({
  board: roleProcedure('DISPATCHER').query(({ ctx }) => dispatchBoard(ctx.db, ctx.user)),
});
