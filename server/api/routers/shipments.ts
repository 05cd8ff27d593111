import { z } from 'zod';
import { AppError } from '../../lib/errors';
import {
  searchShipments,
  shipmentByRef,
  shipmentStatusCounts,
  shipmentStoryByRef,
} from '../queries/shipment-reads';
import { protectedProcedure, router } from '../trpc';

export const shipmentsRouter = router({
  statusCounts: protectedProcedure.query(({ ctx }) => shipmentStatusCounts(ctx.db, ctx.user)),

  search: protectedProcedure
    .input(z.object({ q: z.string().trim().min(2).max(100) }))
    .query(({ ctx, input }) => searchShipments(ctx.db, ctx.user, input.q)),

  byRef: protectedProcedure
    .input(z.object({ ref: z.string().min(1).max(100) }))
    .query(async ({ ctx, input }) => {
      const shipment = await shipmentByRef(ctx.db, ctx.user, input.ref);
      // A shipment at another site answers as absent, so refs cannot be probed across sites.
      if (!shipment) throw new AppError('NOT_FOUND', `No shipment ${input.ref}`);

      return shipment;
    }),

  story: protectedProcedure
    .input(z.object({ ref: z.string().min(1).max(100) }))
    .query(async ({ ctx, input }) => {
      const story = await shipmentStoryByRef(ctx.db, ctx.user, input.ref);
      if (!story) throw new AppError('NOT_FOUND', `No shipment ${input.ref}`);

      return story;
    }),
});
