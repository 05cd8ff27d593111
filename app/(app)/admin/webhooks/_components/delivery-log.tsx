'use client';

import { useState } from 'react';
import { Panel } from '@/components/ui/panel';
import { DeliveryFilters } from './delivery-filters';
import { DeliveryTable, useDeliveries } from './delivery-table';
import { BUTTON, type DeliveryFilter } from './types';

export function DeliveryLog({ initial }: { initial: DeliveryFilter }) {
  const [filter, setFilter] = useState<DeliveryFilter>(initial);
  const deliveries = useDeliveries(filter);
  const rows = deliveries.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Panel title="Delivery log" aside={<span className="text-slate-500">newest first</span>}>
      <DeliveryFilters filter={filter} onChange={setFilter} />
      {deliveries.error ? (
        <p role="alert" className="text-red-700">
          {deliveries.error.message}
        </p>
      ) : !deliveries.data ? (
        <p className="text-slate-500">Loading deliveries…</p>
      ) : rows.length === 0 ? (
        <p className="text-slate-500">No deliveries match.</p>
      ) : (
        <DeliveryTable rows={rows} />
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
