'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTRPC } from '../trpc/client';
import { Panel } from '../ui/panel';
import type { DetailData } from './types';

// The detail's actions, offered by status as the status machine allows them; the server decides
// again (and who may act) on every one.

const BUTTON =
  'rounded border border-slate-300 bg-white px-2 py-1 text-xs hover:bg-slate-50 disabled:opacity-40';
const INPUT = 'w-full rounded border border-slate-300 px-1.5 py-1 text-xs';

function useActions(id: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const onSuccess = () =>
    queryClient.invalidateQueries({ queryKey: trpc.exceptions.detail.queryKey({ id }) });

  return {
    acknowledge: useMutation(trpc.exceptions.acknowledge.mutationOptions({ onSuccess })),
    wait: useMutation(trpc.exceptions.wait.mutationOptions({ onSuccess })),
    resume: useMutation(trpc.exceptions.resume.mutationOptions({ onSuccess })),
    resolve: useMutation(trpc.exceptions.resolve.mutationOptions({ onSuccess })),
    close: useMutation(trpc.exceptions.close.mutationOptions({ onSuccess })),
    reopen: useMutation(trpc.exceptions.reopen.mutationOptions({ onSuccess })),
  };
}

function TextAction(props: {
  label: string;
  placeholder: string;
  onSubmit: (text: string) => void;
  children?: ReactNode;
}) {
  const [text, setText] = useState('');

  return (
    <form
      className="space-y-1"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) props.onSubmit(text);
      }}
    >
      {props.children}
      <input
        aria-label={props.placeholder}
        placeholder={props.placeholder}
        className={INPUT}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" className={BUTTON} disabled={!text.trim()}>
        {props.label}
      </button>
    </form>
  );
}

function ResolveAction({ onResolve }: { onResolve: (code: string, note: string) => void }) {
  const [code, setCode] = useState('');

  return (
    <TextAction label="Resolve" placeholder="Resolution note" onSubmit={(n) => onResolve(code, n)}>
      <input
        aria-label="Resolution code"
        placeholder="Resolution code"
        className={INPUT}
        value={code}
        onChange={(e) => setCode(e.target.value)}
      />
    </TextAction>
  );
}

type Exception = DetailData['exception'];
type Actions = ReturnType<typeof useActions>;

function ActiveActions({ e, a }: { e: Exception; a: Actions }) {
  const ids = [e.id];

  return (
    <>
      {e.status === 'OPEN' ? (
        <button type="button" className={BUTTON} onClick={() => a.acknowledge.mutate({ ids })}>
          Acknowledge
        </button>
      ) : null}
      {e.status === 'WAITING' ? (
        <button type="button" className={BUTTON} onClick={() => a.resume.mutate({ id: e.id })}>
          Resume
        </button>
      ) : (
        <TextAction
          label="Wait"
          placeholder="What it waits on"
          onSubmit={(reason) => a.wait.mutate({ id: e.id, reason })}
        />
      )}
      <ResolveAction
        onResolve={(resolutionCode, note) => a.resolve.mutate({ ids, resolutionCode, note })}
      />
    </>
  );
}

function ResolvedActions({ e, a }: { e: Exception; a: Actions }) {
  return (
    <>
      <button type="button" className={BUTTON} onClick={() => a.close.mutate({ id: e.id })}>
        Close
      </button>
      <TextAction
        label="Reopen"
        placeholder="Why it is reopened"
        onSubmit={(reason) => a.reopen.mutate({ id: e.id, reason })}
      />
    </>
  );
}

export function ExceptionActions({ exception: e }: { exception: Exception }) {
  const a = useActions(e.id);
  const error = Object.values(a).find((m) => m.error)?.error;
  const active = e.status === 'OPEN' || e.status === 'ACKNOWLEDGED' || e.status === 'WAITING';

  return (
    <Panel title="Actions">
      <div className="space-y-3">
        {active ? <ActiveActions e={e} a={a} /> : null}
        {e.status === 'RESOLVED' ? <ResolvedActions e={e} a={a} /> : null}
        {e.status === 'CLOSED' ? (
          <p className="text-slate-500">Closed: nothing more to do.</p>
        ) : null}
        {error ? (
          <p role="alert" className="text-xs text-rose-700">
            {error.message}
          </p>
        ) : null}
      </div>
    </Panel>
  );
}
