'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../trpc/client';
import { formatUtc } from '../ui/format';
import { Panel } from '../ui/panel';
import { StatusBadge } from '../ui/status-badge';

// Asking for a manual override of one hold, with a reason. Whether the user may ask for this
// hold (role, team, site) and who decides it are the service's to say; its refusal is shown.

const FIELD = 'min-w-64 flex-1 rounded border border-slate-300 px-2 py-0.5 text-sm';
const BUTTON = 'rounded border border-slate-300 bg-white px-2 py-0.5 text-xs hover:bg-slate-50';

type Target = { ref: string } | { exceptionId: string };

function AskForm({
  holdId,
  reason,
  onDone,
}: {
  holdId: string;
  reason: string;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const [text, setText] = useState('');
  const ask = useMutation(trpc.approvals.requestOverride.mutationOptions({ onSuccess: onDone }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    ask.mutate({ holdId, reason: text });
  };

  return (
    <form onSubmit={submit} className="mt-1 flex flex-wrap items-center gap-2">
      <input
        aria-label={`Override reason for ${reason}`}
        className={FIELD}
        placeholder="Why this hold may be lifted"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" className={BUTTON} disabled={ask.isPending || text.trim() === ''}>
        Ask to override
      </button>
      {ask.isError ? (
        <p role="alert" className="w-full text-rose-700">
          {ask.error.message}
        </p>
      ) : null}
    </form>
  );
}

export function HoldOverrides({ target }: { target: Target }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const holds = useQuery(trpc.approvals.overridableHolds.queryOptions(target));
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.approvals.overridableHolds.queryKey(target) });
  if (holds.isError)
    return (
      <p role="alert" className="text-rose-700">
        {holds.error.message}
      </p>
    );
  if (!holds.data || holds.data.holds.length === 0) return null;

  return (
    <Panel title="Override a hold">
      <ul className="divide-y divide-slate-100" aria-label="Holds that can be overridden">
        {holds.data.holds.map((h) => (
          <li key={h.id} className="py-1.5">
            <div className="flex items-center gap-2">
              <StatusBadge status={h.reason} />
              <span className="text-slate-700">{h.detail}</span>
            </div>
            {h.pending ? (
              <p className="text-slate-600">
                Override asked by {h.pending.requestedBy?.name ?? 'someone'}, waiting for approval
                (due {formatUtc(h.pending.dueAt)}).
              </p>
            ) : (
              <AskForm holdId={h.id} reason={h.reason} onDone={refresh} />
            )}
          </li>
        ))}
      </ul>
    </Panel>
  );
}
