import { QueryCache, QueryClient } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';

function httpStatusOf(error: unknown): number | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const data = error.data as { httpStatus?: number } | undefined;

  return data?.httpStatus;
}

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError(error) {
        // The session ended (expired, signed out elsewhere, account deactivated).
        if (httpStatusOf(error) === 401 && typeof window !== 'undefined') {
          // A full load on purpose: it drops every cached query of the ended session.
          // eslint-disable-next-line @next/next/no-location-assign-relative-destination
          window.location.assign('/login');
        }
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        retry: (failures, error) => (httpStatusOf(error) ?? 500) >= 500 && failures < 2,
      },
    },
  });
}
