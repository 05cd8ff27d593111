'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../trpc/client';
import { Panel } from '../ui/panel';
import { FloorTable } from './floor-table';
import type { FloorBoardData, FloorStatus } from './floor-types';

// The supervisor's live floor: polled every two seconds, so a stage sent by the WMS shows READY
// or HELD with its reasons within moments of the gate deciding.

const REFRESH_MS = 2_000;

interface FilterProps {
  counts: FloorBoardData['counts'] | undefined;
  status: FloorStatus | undefined;
  onChange: (status: FloorStatus | undefined) => void;
}

function StatusFilter({ counts, status, onChange }: FilterProps) {
  const total = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : 0;
  const chip = (value: FloorStatus | undefined, label: string, n: number) => (
    <button
      key={label}
      type="button"
      aria-pressed={status === value}
      onClick={() => onChange(value)}
      data-status={value ?? 'ALL'}
      className={`rounded border px-2 py-1 text-xs ${status === value ? 'border-slate-700 bg-slate-700 text-white' : 'border-slate-200 bg-slate-50 hover:bg-slate-100'}`}
    >
      {label} <span className="font-mono font-semibold">{n}</span>
    </button>
  );

  return (
    <div role="group" aria-label="Filter by status" className="mb-3 flex flex-wrap gap-1.5">
      {chip(undefined, 'All', total)}
      {counts &&
        (Object.keys(counts) as FloorStatus[]).map((s) =>
          chip(s, s.replaceAll('_', ' '), counts[s]),
        )}
    </div>
  );
}

function Pager({ data, onPage }: { data: FloorBoardData; onPage: (page: number) => void }) {
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  if (pages === 1) return null;
  const button = 'rounded border border-slate-200 px-2 py-0.5 disabled:opacity-40';

  return (
    <nav aria-label="Pages" className="mt-2 flex items-center justify-end gap-2 text-xs">
      <button
        type="button"
        className={button}
        disabled={data.page === 0}
        onClick={() => onPage(data.page - 1)}
      >
        Previous
      </button>
      <span>
        Page {data.page + 1} of {pages}
      </span>
      <button
        type="button"
        className={button}
        disabled={data.page + 1 >= pages}
        onClick={() => onPage(data.page + 1)}
      >
        Next
      </button>
    </nav>
  );
}

export function FloorBoard({ onRecord }: { onRecord: (ref: string) => void }) {
  const trpc = useTRPC();
  const [status, setStatus] = useState<FloorStatus | undefined>(undefined);
  const [page, setPage] = useState(0);
  const query = useQuery(
    trpc.warehouse.floor.queryOptions(
      { status, page },
      { refetchInterval: REFRESH_MS, placeholderData: keepPreviousData, staleTime: 0 },
    ),
  );
  const data = query.data;
  const aside = data ? (
    <span className="text-xs text-slate-500">
      {data.total} shipments · {data.sites.map((s) => s.code).join(', ')}
    </span>
  ) : null;

  return (
    <Panel title="Floor today" aside={aside}>
      <StatusFilter
        counts={data?.counts}
        status={status}
        onChange={(next) => {
          setStatus(next);
          setPage(0);
        }}
      />
      {query.isError ? (
        <p role="alert" className="text-rose-700">
          {query.error.message}
        </p>
      ) : null}
      {data ? (
        <FloorTable rows={data.rows} onRecord={onRecord} />
      ) : (
        <p className="text-slate-500">Loading…</p>
      )}
      {data ? <Pager data={data} onPage={setPage} /> : null}
    </Panel>
  );
}
