'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { StatusBadge } from '@/components/ui/status-badge';
import { BUTTON, CELL, when, type DeliveryFilter, type DeliveryRow } from './types';

function Attempts({ deliveryId }: { deliveryId: string }) {
  const trpc = useTRPC();
  const attempts = useQuery(trpc.webhooks.attempts.queryOptions({ id: deliveryId }));
  if (!attempts.data) return <p className="text-slate-500">Loading attempts…</p>;
  if (attempts.data.length === 0) return <p className="text-slate-500">Not attempted yet.</p>;

  return (
    <table aria-label="Attempts" className="w-full text-xs">
      <thead className="text-slate-500">
        <tr>
          <th className="px-2 text-left font-medium">#</th>
          <th className="px-2 text-left font-medium">Started (UTC)</th>
          <th className="px-2 text-left font-medium">Outcome</th>
          <th className="px-2 text-left font-medium">HTTP</th>
          <th className="px-2 text-right font-medium">Latency</th>
          <th className="px-2 text-left font-medium">Error</th>
        </tr>
      </thead>
      <tbody>
        {attempts.data.map((a) => (
          <tr key={a.number}>
            <td className="px-2 font-mono">{a.number}</td>
            <td className="px-2 font-mono whitespace-nowrap">{when(a.startedAt)}</td>
            <td className="px-2">{a.outcome.replaceAll('_', ' ').toLowerCase()}</td>
            <td className="px-2 font-mono">{a.statusCode ?? '—'}</td>
            <td className="px-2 text-right font-mono">{a.latencyMs} ms</td>
            <td className="px-2 font-mono break-all text-rose-800">{a.errorExcerpt ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface Selection {
  selected: Set<string>;
  toggle: (id: string) => void;
  toggleAll: (ids: string[]) => void;
}

function Line({ d, selection }: { d: DeliveryRow; selection?: Selection }) {
  const [open, setOpen] = useState(false);
  const columns = selection ? 9 : 8;

  return (
    <Fragment>
      <tr data-delivery={d.id} data-status={d.status}>
        {selection && (
          <td className={CELL}>
            <input
              type="checkbox"
              aria-label={`Select ${d.id}`}
              checked={selection.selected.has(d.id)}
              onChange={() => selection.toggle(d.id)}
            />
          </td>
        )}
        <td className={`${CELL} font-mono text-xs whitespace-nowrap`}>{when(d.createdAt)}</td>
        <td className={`${CELL} font-mono text-xs`} title="webhook-id">
          {d.id}
        </td>
        <td className={CELL}>
          {d.subscription.name}
          {d.subscription.deletedAt ? <span className="text-slate-400"> (deleted)</span> : null}
        </td>
        <td className={`${CELL} font-mono text-xs`}>{d.topic}</td>
        <td className={CELL}>
          <StatusBadge status={d.status} />
        </td>
        <td className={`${CELL} text-right font-mono text-xs`}>
          {d.attempts}
          {d.replays > 0 ? ` (${d.replays} replay${d.replays > 1 ? 's' : ''})` : ''}
        </td>
        <td className={`${CELL} max-w-72 font-mono text-xs break-all text-rose-800`}>
          {d.status === 'PENDING' && d.nextAttemptAt ? (
            <span className="text-slate-600">next {when(d.nextAttemptAt)} · </span>
          ) : null}
          {d.lastError ?? ''}
        </td>
        <td className={`${CELL} text-right`}>
          <button
            type="button"
            className={BUTTON}
            onClick={() => setOpen(!open)}
            aria-expanded={open}
          >
            {open ? 'Hide' : 'Attempts'}
          </button>
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={columns} className="bg-slate-50 px-2 py-2">
            <Attempts deliveryId={d.id} />
          </td>
        </tr>
      )}
    </Fragment>
  );
}

export function useDeliveries(filter: DeliveryFilter) {
  const trpc = useTRPC();

  return useInfiniteQuery(
    trpc.webhooks.deliveries.infiniteQueryOptions(filter, {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
    }),
  );
}

export function DeliveryTable({ rows, selection }: { rows: DeliveryRow[]; selection?: Selection }) {
  const ids = rows.map((r) => r.id);
  const all = ids.length > 0 && ids.every((id) => selection?.selected.has(id));
  const headings = [
    'Created (UTC)',
    'Delivery id',
    'Subscription',
    'Event type',
    'Status',
    'Attempts',
    'Last error',
    '',
  ];

  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse text-left">
        <thead className="border-b border-slate-200 text-xs text-slate-500">
          <tr>
            {selection && (
              <th className="px-2 py-1">
                <input
                  type="checkbox"
                  aria-label="Select all shown"
                  checked={all}
                  onChange={() => selection.toggleAll(ids)}
                />
              </th>
            )}
            {headings.map((h) => (
              <th
                key={h}
                className={`px-2 py-1 font-medium ${h === 'Attempts' ? 'text-right' : ''}`}
              >
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((d) => (
            <Line key={d.id} d={d} selection={selection} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
