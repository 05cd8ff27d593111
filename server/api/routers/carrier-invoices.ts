import { z } from 'zod';

import {
  carrierInvoiceFilterSchema,
  carrierInvoicesOfShipment,
  listCarrierInvoices,
  tenderResponsesOfShipment,
} from '../../domain/billing/carrier-invoices/reads';
import { siteFilter } from '../../domain/users/site-scope';
import { AppError } from '../../lib/errors';
import { protectedProcedure, roleProcedure, router } from '../trpc';

export const carrierInvoicesRouter = router({
  list: roleProcedure('BILLING_ANALYST')
    .input(carrierInvoiceFilterSchema)
    .query(({ ctx, input }) => listCarrierInvoices(ctx.db, input, ctx.user)),

  /** The carrier's invoices and tender answers for a shipment the user may see. */
  ofShipment: protectedProcedure
    .input(z.object({ ref: z.string().min(1).max(100) }))
    .query(async ({ ctx, input }) => {
      const shipment = await ctx.db.shipment.findFirst({
        where: { ref: input.ref, ...siteFilter(ctx.user) },
        select: { id: true },
      });
      if (!shipment) throw new AppError('NOT_FOUND', `No shipment ${input.ref}`);
      const [invoices, tenderResponses] = await Promise.all([
        carrierInvoicesOfShipment(ctx.db, shipment.id),
        tenderResponsesOfShipment(ctx.db, shipment.id),
      ]);

      return { invoices, tenderResponses };
    }),
});
