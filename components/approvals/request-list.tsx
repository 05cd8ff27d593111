'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import type { inferRouterOutputs } from '@trpc/server';
import { useState, type FormEvent } from 'react';
import type { AppRouter } from '@/server/api/root';
import { useTRPC } from '../trpc/client';
import { formatUtc } from '../ui/format';
import { StatusBadge } from '../ui/status-badge';

// Requests as their askers follow them: where each stands, the decision's note, and for a
// rejected one a way to ask again with a new reason.

type Request = inferRouterOutputs<AppRouter>['approvals']['mine'][number];

const FIELD = 'min-w-64 flex-1 rounded border border-slate-300 px-2 py-0.5 text-sm';
const BUTTON = 'rounded border border-slate-300 bg-white px-2 py-0.5 text-xs hover:bg-slate-50';

export function subjectOf(r: {
  kind: string;
  detail: unknown;
  rule: { name: string } | null;
}): string {
  const d = (r.detail ?? {}) as Record<string, string | undefined>;
  if (r.kind === 'HOLD_OVERRIDE') return `Override of the ${d.holdReason} hold`;
  if (r.kind === 'CHARGE_ADJUSTMENT')
    return `Charge ${d.chargeCode}: ${d.previousAmount} → ${d.newAmount} ${d.currency}`;

  return r.rule?.name ?? r.kind;
}

function AskAgain({ requestId }: { requestId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const again = useMutation(
    trpc.approvals.askAgain.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.approvals.pathKey() }),
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    again.mutate({ requestId, reason });
  };

  return (
    <form onSubmit={submit} className="mt-1 flex flex-wrap items-center gap-2">
      <input
        aria-label="New reason"
        className={FIELD}
        placeholder="A new reason"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <button type="submit" className={BUTTON} disabled={again.isPending || reason.trim() === ''}>
        Ask again
      </button>
      {again.isError ? (
        <p role="alert" className="w-full text-rose-700">
          {again.error.message}
        </p>
      ) : null}
    </form>
  );
}

export function RequestList({
  requests,
  label,
  canAskAgain,
}: {
  requests: Request[];
  label: string;
  canAskAgain: (r: Request) => boolean;
}) {
  // Only the latest request of a subject can be asked again.
  const latest = new Set<string>();
  const seen = new Set<string>();
  for (const r of requests) {
    const key = `${r.shipment?.ref}:${r.kind}:${subjectOf(r)}`;
    if (!seen.has(key)) latest.add(r.id);
    seen.add(key);
  }

  return (
    <ul className="divide-y divide-slate-100" aria-label={label}>
      {requests.map((r) => (
        <li key={r.id} className="py-2">
          <div className="flex flex-wrap items-center gap-2">
            <StatusBadge status={r.status} />
            {r.shipment ? (
              <Link href={`/shipments/${r.shipment.ref}`} className="text-sky-700 hover:underline">
                {r.shipment.ref}
              </Link>
            ) : null}
            <span className="font-medium">{subjectOf(r)}</span>
            <span className="text-xs text-slate-500">
              asked {formatUtc(r.createdAt)}
              {r.requestedBy ? ` by ${r.requestedBy.name}` : ' by the gate'}
            </span>
          </div>
          <p className="text-slate-600">{r.reason}</p>
          {r.decidedBy ? (
            <p className="text-slate-600">
              {r.status === 'REJECTED' ? 'Rejected' : 'Decided'} by {r.decidedBy.name}
              {r.decisionNote ? `: ${r.decisionNote}` : ''}
            </p>
          ) : null}
          {r.status === 'REJECTED' && latest.has(r.id) && canAskAgain(r) ? (
            <AskAgain requestId={r.id} />
          ) : null}
        </li>
      ))}
    </ul>
  );
}
