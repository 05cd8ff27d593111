'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { useTRPC } from '../trpc/client';
import { Panel } from '../ui/panel';
import { BulkActions, BulkOutcome, useQueueActions } from './bulk-actions';
import { QueueFilterBar } from './queue-filters';
import { QueueTable } from './queue-table';
import type { BulkResult, QueueData, QueueFilters } from './types';

// The team's queue, refetched every five seconds. Keys: j/k move, x selects, a acknowledges the
// selection (or the row under the cursor), Enter opens the row's detail.

const REFRESH_MS = 5_000;

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
}

interface Keys {
  data: QueueData | undefined;
  cursor: number;
  setCursor: (update: (c: number) => number) => void;
  toggle: (id: string) => void;
  acknowledge: (ids: string[]) => void;
  selected: ReadonlySet<string>;
}

function useQueueKeys({ data, cursor, setCursor, toggle, acknowledge, selected }: Keys) {
  const router = useRouter();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target) || event.metaKey || event.ctrlKey || event.altKey) return;
      const items = data?.items ?? [];
      const current = items[Math.min(cursor, items.length - 1)];
      const max = items.length - 1;
      if (event.key === 'j') setCursor((c) => Math.min(max, c + 1));
      else if (event.key === 'k') setCursor((c) => Math.max(0, c - 1));
      else if (event.key === 'x' && current) toggle(current.id);
      else if (event.key === 'a' && (selected.size > 0 || current)) {
        acknowledge(selected.size > 0 ? [...selected] : [current!.id]);
      } else if (event.key === 'Enter' && current) router.push(`/exceptions/${current.id}`);
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);

    return () => window.removeEventListener('keydown', onKey);
  }, [data, cursor, setCursor, toggle, acknowledge, selected, router]);
}

function useSelection() {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);

      return next;
    });

  return { selected, toggle, clear: () => setSelected(new Set()) };
}

export function Workbench() {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<QueueFilters>({ status: 'ACTIVE' });
  const [cursor, setCursor] = useState(0);
  const [outcome, setOutcome] = useState<BulkResult | null>(null);
  const selection = useSelection();
  const query = useQuery(
    trpc.exceptions.queue.queryOptions(filters, {
      refetchInterval: REFRESH_MS,
      placeholderData: keepPreviousData,
      staleTime: 0,
    }),
  );
  const actions = useQueueActions((results) => {
    setOutcome(results);
    selection.clear();
  });
  const data = query.data;
  const visible = new Set(data?.items.map((i) => i.id));
  const ids = [...selection.selected].filter((id) => visible.has(id));
  useQueueKeys({
    data,
    cursor,
    setCursor,
    toggle: selection.toggle,
    acknowledge: (list) => actions.acknowledge.mutate({ ids: list }),
    selected: new Set(ids),
  });
  const aside = data ? (
    <span className="text-xs text-slate-500">
      {data.items.length} shown · j/k move, x select, a acknowledge, Enter open
    </span>
  ) : null;

  return (
    <Panel title="Queue" aside={aside}>
      <QueueFilterBar
        filters={filters}
        sites={data?.sites ?? []}
        onChange={(next) => {
          setFilters(next);
          setCursor(0);
        }}
      />
      <BulkActions ids={ids} actions={actions} />
      <BulkOutcome results={outcome} />
      {query.isError ? (
        <p role="alert" className="text-rose-700">
          {query.error.message}
        </p>
      ) : null}
      {data ? (
        <QueueTable
          data={data}
          cursor={cursor}
          selected={selection.selected}
          onToggle={selection.toggle}
          onCursor={setCursor}
        />
      ) : (
        <p className="text-slate-500">Loading…</p>
      )}
    </Panel>
  );
}
