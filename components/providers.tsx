'use client';

import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { SessionProvider } from 'next-auth/react';
import { useState, type ReactNode } from 'react';
import type { AppRouter } from '@/server/api/root';
import { transformer } from '@/server/api/transformer';
import { makeQueryClient } from './trpc/query-client';
import { TRPCProvider } from './trpc/client';

let browserQueryClient: QueryClient | undefined;

// One query client per browser tab; on the server a fresh one per render, so that no cache is
// shared between users.
function getQueryClient(): QueryClient {
  if (typeof window === 'undefined') return makeQueryClient();

  return (browserQueryClient ??= makeQueryClient());
}

export function Providers({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: '/api/trpc', transformer })],
    }),
  );

  // The session provider refetches /api/auth/session on load, on focus and every five minutes,
  // which lets next-auth re-read the user and refresh (or clear) the session cookie.
  return (
    <SessionProvider refetchInterval={300}>
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
          {children}
        </TRPCProvider>
      </QueryClientProvider>
    </SessionProvider>
  );
}
