import { protectedProcedure, router } from '../trpc';

export const sessionRouter = router({
  me: protectedProcedure.query(({ ctx }) => ctx.user),
});
