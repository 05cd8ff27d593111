import { billingBoard } from '../queries/billing-board';
import { roleProcedure, router } from '../trpc';

export const billingRouter = router({
  board: roleProcedure('BILLING_ANALYST').query(({ ctx }) => billingBoard(ctx.db, ctx.user)),
});
