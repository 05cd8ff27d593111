'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../trpc/client';
import { Panel } from '../ui/panel';
import { RequestList } from './request-list';

export function MyRequests({ canAskAgain }: { canAskAgain: boolean }) {
  const trpc = useTRPC();
  const mine = useQuery(trpc.approvals.mine.queryOptions(undefined, { refetchInterval: 10_000 }));
  if (mine.isError)
    return (
      <p role="alert" className="text-rose-700">
        {mine.error.message}
      </p>
    );
  if (!mine.data) return null;
  if (mine.data.length === 0)
    return <Panel title="Your requests" empty="You have not asked for any approval." />;

  return (
    <Panel title="Your requests">
      <RequestList requests={mine.data} label="Your requests" canAskAgain={() => canAskAgain} />
    </Panel>
  );
}
