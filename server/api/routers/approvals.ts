import { z } from 'zod';
import { decideApproval } from '../../domain/approvals/decide';
import { listRules, pendingForUser } from '../../domain/approvals/reads';
import { createRule, deactivateRule, ruleInput } from '../../domain/approvals/rule-admin';
import { adminProcedure, adminWriteProcedure, protectedProcedure, router } from '../trpc';

// Who may decide is checked per request inside the service (role, level, not the requester),
// against the user row read in the decision's own transaction.

const decision = z.object({
  requestId: z.uuid(),
  approve: z.boolean(),
  note: z.string().trim().max(2000),
});

export const approvalsRouter = router({
  pending: protectedProcedure.query(({ ctx }) => pendingForUser(ctx.db, ctx.user)),

  decide: protectedProcedure
    .input(decision)
    .mutation(({ ctx, input }) =>
      decideApproval(ctx.db, { ...input, deciderId: ctx.user.id }, { requestId: ctx.requestId }),
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
