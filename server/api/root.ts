import { sessionRouter } from './routers/session';
import { shipmentsRouter } from './routers/shipments';
import { usersRouter } from './routers/users';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  session: sessionRouter,
  shipments: shipmentsRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
