'use client';

import { useQuery } from '@tanstack/react-query';
import { Bell } from 'lucide-react';
import Link from 'next/link';
import { useTRPC } from '../trpc/client';

const REFRESH_MS = 15_000;

/** The top bar's link to the inbox, with the count of unread notifications. */
export function InboxBell() {
  const trpc = useTRPC();
  const unread = useQuery(
    trpc.inbox.unreadCount.queryOptions(undefined, { refetchInterval: REFRESH_MS }),
  );
  const count = unread.data ?? 0;

  return (
    <Link
      href="/inbox"
      aria-label={count > 0 ? `Inbox, ${count} unread` : 'Inbox'}
      className="relative rounded p-1 text-slate-300 hover:bg-slate-800 hover:text-white"
    >
      <Bell aria-hidden className="h-5 w-5" />
      {count > 0 ? (
        <span
          data-testid="inbox-unread"
          className="absolute -right-1 -top-1 rounded-full bg-rose-600 px-1 font-mono text-[10px] leading-4 text-white"
        >
          {count > 99 ? '99+' : count}
        </span>
      ) : null}
    </Link>
  );
}
