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

function useWorkbench() {
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
  // A selected row that a filter or a refetch took away is no longer acted on.
  const visible = new Set(query.data?.items.map((i) => i.id));
  const ids = [...selection.selected].filter((id) => visible.has(id));
  const changeFilters = (next: QueueFilters) => {
    setFilters(next);
    setCursor(0);
  };

  return { query, filters, changeFilters, cursor, setCursor, outcome, selection, actions, ids };
}

function QueueAside({ data }: { data: QueueData | undefined }) {
  if (!data) return null;
  const capped = data.items.length >= data.limit ? ` (the first ${data.limit})` : '';

  return (
    <span className="text-xs text-slate-500">
      {data.items.length} shown{capped} · j/k move, x select, a acknowledge, Enter open
    </span>
  );
}

export function Workbench() {
  const w = useWorkbench();
  const data = w.query.data;
  useQueueKeys({
    data,
    cursor: w.cursor,
    setCursor: w.setCursor,
    toggle: w.selection.toggle,
    acknowledge: (ids) => w.actions.acknowledge.mutate({ ids }),
    selected: new Set(w.ids),
  });

  return (
    <Panel title="Queue" aside={<QueueAside data={data} />}>
      <QueueFilterBar filters={w.filters} sites={data?.sites ?? []} onChange={w.changeFilters} />
      <BulkActions ids={w.ids} actions={w.actions} />
      <BulkOutcome results={w.outcome} />
      {w.query.isError ? (
        <p role="alert" className="text-rose-700">
          {w.query.error.message}
        </p>
      ) : null}
      {data ? (
        <QueueTable
          data={data}
          receivedAt={w.query.dataUpdatedAt}
          cursor={w.cursor}
          selected={w.selection.selected}
          onToggle={w.selection.toggle}
          onCursor={w.setCursor}
        />
      ) : (
        <p className="text-slate-500">Loading…</p>
      )}
    </Panel>
  );
}
