import { headers } from 'next/headers';
import { cache } from 'react';
import { createCaller } from './root';
import { createTRPCContext } from './trpc';

/**
 * The tRPC API for React Server Components: the same procedures, checks included, called in
 * process. Memoised per request. `const api = await serverApi(); await api.shipments.byRef(...)`.
 */
export const serverApi = cache(async () => {
  const context = await createTRPCContext({ headers: await headers() });

  return createCaller(context);
});
