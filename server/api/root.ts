import { approvalsRouter } from './routers/approvals';
import { billingRouter } from './routers/billing';
import { carrierInvoicesRouter } from './routers/carrier-invoices';
import { calendarsRouter } from './routers/calendars';
import { dispatchRouter } from './routers/dispatch';
import { exceptionsRouter } from './routers/exceptions';
import { importsRouter } from './routers/imports';
import { inboxRouter } from './routers/inbox';
import { mappingsRouter } from './routers/mappings';
import { partnersRouter } from './routers/partners';
import { sessionRouter } from './routers/session';
import { shipmentsRouter } from './routers/shipments';
import { usersRouter } from './routers/users';
import { warehouseRouter } from './routers/warehouse';
import { webhooksRouter } from './routers/webhooks';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  session: sessionRouter,
  shipments: shipmentsRouter,
  users: usersRouter,
  warehouse: warehouseRouter,
  dispatch: dispatchRouter,
  billing: billingRouter,
  carrierInvoices: carrierInvoicesRouter,
  exceptions: exceptionsRouter,
  inbox: inboxRouter,
  approvals: approvalsRouter,
  calendars: calendarsRouter,
  mappings: mappingsRouter,
  partners: partnersRouter,
  imports: importsRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
