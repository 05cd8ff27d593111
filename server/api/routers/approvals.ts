import { z } from 'zod';
import { decideApproval } from '../../domain/approvals/decide';
import { requestOverride } from '../../domain/approvals/hold-overrides';
import { askAgain } from '../../domain/approvals/re-request';
import {
  forShipment,
  listRules,
  overridableHolds,
  pendingForUser,
  raisedBy,
} from '../../domain/approvals/reads';
import { createRule, deactivateRule, ruleInput } from '../../domain/approvals/rule-admin';
import { chargesWithAdjustments, requestAdjustment } from '../../domain/billing/charge-adjustments';
import {
  adminProcedure,
  adminWriteProcedure,
  privilegedProcedure,
  protectedProcedure,
  roleProcedure,
  router,
} from '../trpc';

// Who may ask, and who may decide, is checked per request inside the services (role, level,
// site, never the requester), against the user row read in the change's own transaction.

const decision = z.object({
  requestId: z.uuid(),
  approve: z.boolean(),
  note: z.string().trim().max(2000),
});
const reason = z.string().trim().min(1, 'a reason is required').max(2000);
const shipmentRef = z.object({ ref: z.string().trim().min(1).max(100) });

const asker = privilegedProcedure('WAREHOUSE_SUPERVISOR', 'DISPATCHER', 'BILLING_ANALYST', 'ADMIN');

export const approvalsRouter = router({
  pending: protectedProcedure.query(({ ctx }) => pendingForUser(ctx.db, ctx.user)),

  mine: protectedProcedure.query(({ ctx }) => raisedBy(ctx.db, ctx.user.id)),

  forShipment: protectedProcedure
    .input(shipmentRef)
    .query(({ ctx, input }) => forShipment(ctx.db, input.ref, ctx.user)),

  overridableHolds: protectedProcedure
    .input(z.union([shipmentRef, z.object({ exceptionId: z.uuid() })]))
    .query(({ ctx, input }) => overridableHolds(ctx.db, input, ctx.user)),

  decide: protectedProcedure
    .input(decision)
    .mutation(({ ctx, input }) =>
      decideApproval(ctx.db, { ...input, deciderId: ctx.user.id }, { requestId: ctx.requestId }),
    ),

  askAgain: asker
    .input(z.object({ requestId: z.uuid(), reason }))
    .mutation(({ ctx, input }) =>
      askAgain(ctx.db, { ...input, userId: ctx.user.id, ctxRequestId: ctx.requestId }),
    ),

  requestOverride: asker
    .input(z.object({ holdId: z.uuid(), reason }))
    .mutation(({ ctx, input }) =>
      requestOverride(ctx.db, { ...input, userId: ctx.user.id, requestId: ctx.requestId }),
    ),

  charges: roleProcedure('BILLING_ANALYST', 'ADMIN', 'EXECUTIVE')
    .input(shipmentRef)
    .query(({ ctx, input }) => chargesWithAdjustments(ctx.db, input.ref, ctx.user)),

  adjustCharge: privilegedProcedure('BILLING_ANALYST')
    .input(z.object({ chargeId: z.uuid(), newAmount: z.string().trim().max(20), reason }))
    .mutation(({ ctx, input }) =>
      requestAdjustment(ctx.db, { ...input, userId: ctx.user.id, requestId: ctx.requestId }),
    ),

  rules: adminProcedure.query(({ ctx }) => listRules(ctx.db)),

  createRule: adminWriteProcedure
    .input(ruleInput)
    .mutation(({ ctx, input }) =>
      createRule(ctx.db, input, { userId: ctx.user.id, requestId: ctx.requestId }),
    ),

  deactivateRule: adminWriteProcedure
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) =>
      deactivateRule(ctx.db, input.id, { userId: ctx.user.id, requestId: ctx.requestId }),
    ),
});
