import { calendarEdit, editCalendar, listCalendars } from '../../domain/calendars/edit-calendar';
import { adminProcedure, adminWriteProcedure, router } from '../trpc';

// Business calendars: admins read and edit them; saving moves the open exceptions' timers.

export const calendarsRouter = router({
  list: adminProcedure.query(({ ctx }) => listCalendars(ctx.db)),

  save: adminWriteProcedure
    .input(calendarEdit)
    .mutation(({ ctx, input }) =>
      editCalendar(ctx.db, input, { userId: ctx.user.id, requestId: ctx.requestId }),
    ),
});
