'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/client';
import type { DeliveryFilter } from './types';

const STATUSES = ['PENDING', 'DELIVERED', 'DEAD', 'CANCELLED'] as const;
const SELECT = 'rounded border border-slate-300 bg-white px-2 py-1';

export function DeliveryFilters({
  filter,
  onChange,
  withStatus = true,
}: {
  filter: DeliveryFilter;
  onChange: (next: DeliveryFilter) => void;
  withStatus?: boolean;
}) {
  const trpc = useTRPC();
  const names = useQuery(trpc.webhooks.subscriptionNames.queryOptions());
  const catalog = useQuery(trpc.webhooks.topics.queryOptions());

  return (
    <div role="group" aria-label="Filters" className="mb-3 flex flex-wrap items-end gap-3">
      {withStatus && (
        <label className="text-xs text-slate-600">
          Status{' '}
          <select
            className={SELECT}
            value={filter.status ?? ''}
            onChange={(e) =>
              onChange({
                ...filter,
                status: (e.target.value || undefined) as DeliveryFilter['status'],
              })
            }
          >
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="text-xs text-slate-600">
        Subscription{' '}
        <select
          className={SELECT}
          value={filter.subscriptionId ?? ''}
          onChange={(e) => onChange({ ...filter, subscriptionId: e.target.value || undefined })}
        >
          <option value="">any</option>
          {names.data?.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
              {s.deletedAt ? ' (deleted)' : ''}
            </option>
          ))}
        </select>
      </label>
      <label className="text-xs text-slate-600">
        Event type{' '}
        <select
          className={SELECT}
          value={filter.topic ?? ''}
          onChange={(e) => onChange({ ...filter, topic: e.target.value || undefined })}
        >
          <option value="">any</option>
          {catalog.data?.topics.map((t) => (
            <option key={t.topic} value={t.topic}>
              {t.topic}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
