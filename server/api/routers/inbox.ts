import { z } from 'zod';
import { protectedProcedure, router } from '../trpc';

// The signed-in user's own notifications (the in-app inbox): every read is by the user's id.

const INBOX_LIMIT = 100;

export const inboxRouter = router({
  list: protectedProcedure.query(async ({ ctx }) => {
    const items = await ctx.db.notification.findMany({
      where: { userId: ctx.user.id },
      orderBy: { createdAt: 'desc' },
      take: INBOX_LIMIT,
      select: { id: true, title: true, body: true, link: true, createdAt: true, readAt: true },
    });

    return { items, limit: INBOX_LIMIT };
  }),

  unreadCount: protectedProcedure.query(({ ctx }) =>
    ctx.db.notification.count({ where: { userId: ctx.user.id, readAt: null } }),
  ),

  markRead: protectedProcedure
    .input(z.object({ ids: z.array(z.uuid()).min(1).max(INBOX_LIMIT) }))
    .mutation(async ({ ctx, input }) => {
      const { count } = await ctx.db.notification.updateMany({
        where: { id: { in: input.ids }, userId: ctx.user.id, readAt: null },
        data: { readAt: new Date() },
      });

      return { marked: count };
    }),

  markAllRead: protectedProcedure.mutation(async ({ ctx }) => {
    const { count } = await ctx.db.notification.updateMany({
      where: { userId: ctx.user.id, readAt: null },
      data: { readAt: new Date() },
    });

    return { marked: count };
  }),
});
