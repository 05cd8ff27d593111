'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/api/root';
import { useTRPC } from '../trpc/client';
import { formatUtc } from '../ui/format';
import { Panel } from '../ui/panel';

type Item = inferRouterOutputs<AppRouter>['inbox']['list']['items'][number];

const REFRESH_MS = 10_000;
const BUTTON = 'rounded border border-slate-300 bg-white px-2 py-0.5 text-xs hover:bg-slate-50';

function useInbox() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const onSuccess = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.inbox.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.inbox.unreadCount.queryKey() }),
    ]);

  return {
    list: useQuery(trpc.inbox.list.queryOptions(undefined, { refetchInterval: REFRESH_MS })),
    markRead: useMutation(trpc.inbox.markRead.mutationOptions({ onSuccess })),
    markAllRead: useMutation(trpc.inbox.markAllRead.mutationOptions({ onSuccess })),
  };
}

function Line({ item, onRead }: { item: Item; onRead: () => void }) {
  const unread = item.readAt === null;

  return (
    <li className="flex items-start gap-3 py-2" data-unread={unread}>
      <span
        aria-hidden
        className={`mt-1.5 h-2 w-2 rounded-full ${unread ? 'bg-sky-600' : 'bg-transparent'}`}
      />
      <div className="min-w-0 flex-1">
        <div className={unread ? 'font-semibold' : ''}>
          {item.link ? (
            <Link href={item.link} className="text-sky-700 hover:underline" onClick={onRead}>
              {item.title}
            </Link>
          ) : (
            item.title
          )}
        </div>
        <p className="text-slate-600">{item.body}</p>
        <span className="font-mono text-xs text-slate-500">{formatUtc(item.createdAt)}</span>
      </div>
      {unread ? (
        <button type="button" className={BUTTON} onClick={onRead}>
          Mark read
        </button>
      ) : null}
    </li>
  );
}

export function InboxList() {
  const inbox = useInbox();
  const items = inbox.list.data?.items;
  if (inbox.list.isError) {
    return (
      <p role="alert" className="text-rose-700">
        {inbox.list.error.message}
      </p>
    );
  }
  if (!items) return <p className="text-slate-500">Loading…</p>;
  const unread = items.filter((i) => i.readAt === null).length;
  const aside =
    unread > 0 ? (
      <button type="button" className={BUTTON} onClick={() => inbox.markAllRead.mutate()}>
        Mark all read
      </button>
    ) : null;
  if (items.length === 0) return <Panel title="Notifications" empty="No notifications." />;

  return (
    <Panel title="Notifications" aside={aside}>
      <ul className="divide-y divide-slate-100" aria-label="Notifications">
        {items.map((item) => (
          <Line
            key={item.id}
            item={item}
            onRead={() => inbox.markRead.mutate({ ids: [item.id] })}
          />
        ))}
      </ul>
    </Panel>
  );
}
