'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/api/root';
import { useTRPC } from '../trpc/client';
import { formatUtc } from '../ui/format';
import { Panel } from '../ui/panel';
import { subjectOf } from './request-list';

type Request = inferRouterOutputs<AppRouter>['approvals']['pending'][number];

const REFRESH_MS = 10_000;
const BUTTON = 'rounded border border-slate-300 bg-white px-2 py-0.5 text-xs hover:bg-slate-50';

function useDecide() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();

  return useMutation(
    trpc.approvals.decide.mutationOptions({
      onSuccess: () =>
        queryClient.invalidateQueries({ queryKey: trpc.approvals.pending.queryKey() }),
    }),
  );
}

function Row({ request }: { request: Request }) {
  const decide = useDecide();
  const [note, setNote] = useState('');
  const send = (approve: boolean) => decide.mutate({ requestId: request.id, approve, note });

  return (
    <li className="flex flex-wrap items-center gap-3 py-2">
      <div className="min-w-0 flex-1">
        <div className="font-semibold">
          {request.shipment ? (
            <Link
              href={`/shipments/${request.shipment.ref}`}
              className="text-sky-700 hover:underline"
            >
              {request.shipment.ref}
            </Link>
          ) : null}{' '}
          {subjectOf(request)}
        </div>
        <p className="text-slate-600">
          {request.reason}
          <span className="text-slate-500">
            {' '}
            — asked by {request.requestedBy?.name ?? 'the readiness gate'}
          </span>
        </p>
        {request.kind === 'HOLD_OVERRIDE' ? (
          <p className="text-xs text-slate-500">
            The check found: {String((request.detail as { checkReason?: string }).checkReason)}
          </p>
        ) : null}
        <span className="font-mono text-xs text-slate-500">due {formatUtc(request.dueAt)}</span>
        {decide.isError ? (
          <p role="alert" className="text-rose-700">
            {decide.error.message}
          </p>
        ) : null}
      </div>
      <input
        aria-label={`Reason for ${request.shipment?.ref ?? request.id}`}
        className="rounded border border-slate-300 px-2 py-0.5 text-sm"
        placeholder="Reason (required to reject)"
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      <button
        type="button"
        className={BUTTON}
        disabled={decide.isPending}
        onClick={() => send(true)}
      >
        Approve
      </button>
      <button
        type="button"
        className={BUTTON}
        disabled={decide.isPending || note.trim() === ''}
        onClick={() => send(false)}
      >
        Reject
      </button>
    </li>
  );
}

export function PendingApprovals() {
  const trpc = useTRPC();
  const pending = useQuery(
    trpc.approvals.pending.queryOptions(undefined, { refetchInterval: REFRESH_MS }),
  );
  if (pending.isError) {
    return (
      <p role="alert" className="text-rose-700">
        {pending.error.message}
      </p>
    );
  }
  if (!pending.data) return <p className="text-slate-500">Loading…</p>;
  if (pending.data.length === 0)
    return <Panel title="Waiting for your decision" empty="Nothing waits for your approval." />;

  return (
    <Panel title="Waiting for your decision">
      <ul className="divide-y divide-slate-100" aria-label="Pending approvals">
        {pending.data.map((r) => (
          <Row key={r.id} request={r} />
        ))}
      </ul>
    </Panel>
  );
}
