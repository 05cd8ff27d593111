'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { Panel } from '@/components/ui/panel';
import { StatusBadge } from '@/components/ui/status-badge';
import { CreateSubscriptionForm } from './create-subscription-form';
import { ShownOnce } from './shown-once';
import { BUTTON, CELL, errorText, when, type SubscriptionRow } from './types';

const HEADINGS = ['Name', 'Partner', 'Target', 'Event types', 'Status', 'Deliveries', ''];

function useSubscriptionActions() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const onSuccess = () =>
    void queryClient.invalidateQueries({ queryKey: trpc.webhooks.subscriptions.queryKey() });

  return {
    pause: useMutation(trpc.webhooks.pause.mutationOptions({ onSuccess })),
    resume: useMutation(trpc.webhooks.resume.mutationOptions({ onSuccess })),
    rotate: useMutation(trpc.webhooks.rotateSecret.mutationOptions({ onSuccess })),
    remove: useMutation(trpc.webhooks.delete.mutationOptions({ onSuccess })),
  };
}

type Actions = ReturnType<typeof useSubscriptionActions>;

function Counts({ s }: { s: SubscriptionRow }) {
  const log = `/admin/webhooks/deliveries?subscription=${s.id}`;

  return (
    <span className="font-mono text-xs whitespace-nowrap">
      <Link href={log} className="text-sky-700 hover:underline">
        {s.delivered} sent
      </Link>
      {' · '}
      {s.pending} waiting{' · '}
      <Link
        href={`/admin/webhooks/dead-letters?subscription=${s.id}`}
        className={s.dead > 0 ? 'font-semibold text-rose-700 hover:underline' : 'hover:underline'}
      >
        {s.dead} dead
      </Link>
    </span>
  );
}

function RowActions({ s, actions }: { s: SubscriptionRow; actions: Actions }) {
  const [confirming, setConfirming] = useState(false);
  const busy = Object.values(actions).some((a) => a.isPending);

  return (
    <div className="flex flex-wrap justify-end gap-1">
      {s.status === 'ACTIVE' ? (
        <button
          type="button"
          disabled={busy}
          className={BUTTON}
          onClick={() => actions.pause.mutate({ id: s.id })}
          aria-label={`Pause ${s.name}`}
        >
          Pause
        </button>
      ) : (
        <button
          type="button"
          disabled={busy}
          className={BUTTON}
          onClick={() => actions.resume.mutate({ id: s.id })}
          aria-label={`Resume ${s.name}`}
        >
          Resume
        </button>
      )}
      <button
        type="button"
        disabled={busy}
        className={BUTTON}
        onClick={() => actions.rotate.mutate({ id: s.id })}
        aria-label={`Rotate the secret of ${s.name}`}
      >
        Rotate secret
      </button>
      {confirming ? (
        <button
          type="button"
          disabled={busy}
          className={`${BUTTON} border-rose-400 text-rose-800`}
          onClick={() => actions.remove.mutate({ id: s.id })}
          aria-label={`Confirm deleting ${s.name}`}
        >
          Confirm delete
        </button>
      ) : (
        <button
          type="button"
          disabled={busy}
          className={BUTTON}
          onClick={() => setConfirming(true)}
          aria-label={`Delete ${s.name}`}
        >
          Delete
        </button>
      )}
    </div>
  );
}

function SubscriptionLine({ s, actions }: { s: SubscriptionRow; actions: Actions }) {
  return (
    <tr data-subscription={s.name}>
      <td className={`${CELL} font-medium`}>{s.name}</td>
      <td className={CELL}>{s.partner.code}</td>
      <td className={`${CELL} max-w-64 font-mono text-xs break-all`}>{s.url}</td>
      <td className={`${CELL} font-mono text-xs`}>{s.topics.join(', ')}</td>
      <td className={CELL}>
        <StatusBadge status={s.status} />
        {s.previousSecretUntil && s.previousSecretUntil > new Date() && (
          <p className="text-xs text-slate-500">
            old secret signs until {when(s.previousSecretUntil)}
          </p>
        )}
      </td>
      <td className={CELL}>
        <Counts s={s} />
      </td>
      <td className={CELL}>
        <RowActions s={s} actions={actions} />
      </td>
    </tr>
  );
}

export function SubscriptionsAdmin() {
  const trpc = useTRPC();
  const subscriptions = useQuery(trpc.webhooks.subscriptions.queryOptions());
  const actions = useSubscriptionActions();
  const failed = Object.values(actions).find((a) => a.error)?.error;

  if (subscriptions.error) {
    return (
      <p role="alert" className="text-red-700">
        {subscriptions.error.message}
      </p>
    );
  }

  return (
    <div className="grid gap-4 xl:grid-cols-[1fr_24rem]">
      <Panel
        title="Subscriptions"
        aside={<span className="text-slate-500">{subscriptions.data?.length ?? '…'}</span>}
      >
        {failed && (
          <p role="alert" className="mb-2 text-red-700">
            {errorText(failed)}
          </p>
        )}
        {actions.rotate.data && (
          <div className="mb-2">
            <ShownOnce
              title="New signing secret (the old one keeps signing beside it for 24 h)."
              secret={actions.rotate.data.secret}
            />
          </div>
        )}
        {!subscriptions.data ? (
          <p className="text-slate-500">Loading subscriptions…</p>
        ) : subscriptions.data.length === 0 ? (
          <p className="text-slate-500">No subscriptions yet.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full border-collapse text-left">
              <thead className="border-b border-slate-200 text-xs text-slate-500">
                <tr>
                  {HEADINGS.map((h) => (
                    <th key={h} className="px-2 py-1 font-medium">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {subscriptions.data.map((s) => (
                  <SubscriptionLine key={s.id} s={s} actions={actions} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
      <Panel title="New subscription">
        <CreateSubscriptionForm />
      </Panel>
    </div>
  );
}
