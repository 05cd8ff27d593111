import { z } from 'zod';
import {
  acknowledgeException,
  closeException,
  reopenException,
  resolveException,
  resumeException,
  waitOnException,
  type TransitionInput,
} from '../../domain/exceptions/transitions';
import {
  assignToMe,
  exceptionDetail,
  exceptionQueue,
  queueInput,
} from '../../domain/exceptions/queue';
import { protectedProcedure, router } from '../trpc';

// Who may act is decided per exception inside each transition (assertCanAct), not by role: an
// escalated exception can be acted on by whoever it reached.

const one = z.object({ id: z.uuid() });
const many = z.object({ ids: z.array(z.uuid()).min(1).max(100) });
const reason = z.string().trim().min(1).max(2000);
const resolution = { resolutionCode: z.string().trim().min(1).max(100), note: reason };

interface Ctx {
  user: { id: string };
  requestId: string;
}

function input(ctx: Ctx, exceptionId: string): TransitionInput {
  return { exceptionId, actor: { type: 'USER', userId: ctx.user.id, requestId: ctx.requestId } };
}

/** Bulk actions run one exception at a time: one refusal does not undo the others. */
async function eachOf<T>(ids: string[], act: (id: string) => Promise<T>) {
  const results = await Promise.allSettled(ids.map(act));

  return results.map((r, i) => ({
    id: ids[i]!,
    ok: r.status === 'fulfilled',
    error: r.status === 'rejected' ? String((r.reason as Error).message) : null,
  }));
}

export const exceptionsRouter = router({
  queue: protectedProcedure
    .input(queueInput)
    .query(({ ctx, input }) => exceptionQueue(ctx.db, ctx.user, input)),

  detail: protectedProcedure
    .input(one)
    .query(({ ctx, input }) => exceptionDetail(ctx.db, ctx.user, input.id)),

  acknowledge: protectedProcedure
    .input(many)
    .mutation(({ ctx, input: { ids } }) =>
      eachOf(ids, (id) => acknowledgeException(ctx.db, input(ctx, id))),
    ),

  assignToMe: protectedProcedure
    .input(many)
    .mutation(({ ctx, input: { ids } }) =>
      eachOf(ids, (id) => assignToMe(ctx.db, ctx.user, id, ctx.requestId)),
    ),

  resolve: protectedProcedure
    .input(many.extend(resolution))
    .mutation(({ ctx, input: { ids, resolutionCode, note } }) =>
      eachOf(ids, (id) => resolveException(ctx.db, { ...input(ctx, id), resolutionCode, note })),
    ),

  wait: protectedProcedure
    .input(one.extend({ reason }))
    .mutation(({ ctx, input: i }) =>
      waitOnException(ctx.db, { ...input(ctx, i.id), reason: i.reason }),
    ),

  resume: protectedProcedure
    .input(one)
    .mutation(({ ctx, input: i }) => resumeException(ctx.db, input(ctx, i.id))),

  close: protectedProcedure
    .input(one)
    .mutation(({ ctx, input: i }) => closeException(ctx.db, input(ctx, i.id))),

  reopen: protectedProcedure
    .input(one.extend({ reason }))
    .mutation(({ ctx, input: i }) =>
      reopenException(ctx.db, { ...input(ctx, i.id), reason: i.reason }),
    ),
});
