'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { Panel } from '@/components/ui/panel';
import { DeliveryFilters } from './delivery-filters';
import { DeliveryTable, useDeliveries } from './delivery-table';
import { BUTTON, errorText, PRIMARY, type DeliveryFilter } from './types';

export function DeadLetters({ initial }: { initial: DeliveryFilter }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<DeliveryFilter>({ ...initial, status: 'DEAD' });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const deliveries = useDeliveries(filter);
  const rows = deliveries.data?.pages.flatMap((p) => p.items) ?? [];
  const replay = useMutation(
    trpc.webhooks.replay.mutationOptions({
      onSuccess: () => {
        setSelected(new Set());
        void queryClient.invalidateQueries({ queryKey: trpc.webhooks.deliveries.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.webhooks.subscriptions.queryKey() });
      },
    }),
  );
  const selection = {
    selected,
    toggle: (id: string) =>
      setSelected((s) => {
        const next = new Set(s);
        if (!next.delete(id)) next.add(id);

        return next;
      }),
    toggleAll: (ids: string[]) =>
      setSelected((s) => (ids.every((id) => s.has(id)) ? new Set() : new Set(ids))),
  };

  return (
    <Panel title="Dead letters" aside={<span className="text-slate-500">out of attempts</span>}>
      <DeliveryFilters
        filter={filter}
        onChange={(f) => setFilter({ ...f, status: 'DEAD' })}
        withStatus={false}
      />
      <div className="mb-2 flex items-center gap-3">
        <button
          type="button"
          className={PRIMARY}
          disabled={selected.size === 0 || replay.isPending}
          onClick={() => replay.mutate({ ids: [...selected] })}
        >
          Replay selected ({selected.size})
        </button>
        <span className="text-xs text-slate-500">
          A replay sends the same delivery id again, with a fresh round of attempts.
        </span>
      </div>
      {replay.error && (
        <p role="alert" className="mb-2 text-red-700">
          {errorText(replay.error)}
        </p>
      )}
      {replay.data && (
        <p role="status" className="mb-2 text-emerald-800">
          Replayed {replay.data.replayed.length}
          {replay.data.skipped.length > 0
            ? `; skipped ${replay.data.skipped.length}: ${replay.data.skipped.map((s) => s.reason).join(', ')}`
            : ''}
          .
        </p>
      )}
      {deliveries.error ? (
        <p role="alert" className="text-red-700">
          {deliveries.error.message}
        </p>
      ) : !deliveries.data ? (
        <p className="text-slate-500">Loading dead letters…</p>
      ) : rows.length === 0 ? (
        <p className="text-slate-500">No dead letters.</p>
      ) : (
        <DeliveryTable rows={rows} selection={selection} />
      )}
      {deliveries.hasNextPage && (
        <button
          type="button"
          className={`${BUTTON} mt-2`}
          disabled={deliveries.isFetchingNextPage}
          onClick={() => void deliveries.fetchNextPage()}
        >
          Load more
        </button>
      )}
    </Panel>
  );
}
