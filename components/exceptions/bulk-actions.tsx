'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../trpc/client';
import type { BulkResult } from './types';

const BUTTON =
  'rounded border border-slate-300 bg-white px-2 py-1 text-xs hover:bg-slate-50 disabled:opacity-40';

export function useQueueActions(onDone: (results: BulkResult) => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const options = {
    onSuccess: (results: BulkResult) => {
      onDone(results);
      void queryClient.invalidateQueries({ queryKey: trpc.exceptions.queue.queryKey() });
    },
  };

  return {
    acknowledge: useMutation(trpc.exceptions.acknowledge.mutationOptions(options)),
    assignToMe: useMutation(trpc.exceptions.assignToMe.mutationOptions(options)),
    resolve: useMutation(trpc.exceptions.resolve.mutationOptions(options)),
  };
}

type Actions = ReturnType<typeof useQueueActions>;

function ResolveForm({ ids, actions }: { ids: string[]; actions: Actions }) {
  const [code, setCode] = useState('');
  const [note, setNote] = useState('');
  const ready = ids.length > 0 && code.trim() !== '' && note.trim() !== '';

  return (
    <form
      className="flex flex-wrap items-center gap-1.5"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) actions.resolve.mutate({ ids, resolutionCode: code, note });
      }}
    >
      <input
        aria-label="Resolution code"
        placeholder="Resolution code"
        className="w-36 rounded border border-slate-300 px-1.5 py-1 text-xs"
        value={code}
        onChange={(e) => setCode(e.target.value)}
      />
      <input
        aria-label="Resolution note"
        placeholder="Note"
        className="w-56 rounded border border-slate-300 px-1.5 py-1 text-xs"
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      <button type="submit" className={BUTTON} disabled={!ready || actions.resolve.isPending}>
        Resolve selected
      </button>
    </form>
  );
}

export function BulkActions({ ids, actions }: { ids: string[]; actions: Actions }) {
  const none = ids.length === 0;
  const error = actions.acknowledge.error ?? actions.assignToMe.error ?? actions.resolve.error;

  return (
    <div
      role="group"
      aria-label="Bulk actions"
      className="mb-3 flex flex-wrap items-center gap-2 border-b border-slate-100 pb-3"
    >
      <span className="text-xs text-slate-500">{ids.length} selected</span>
      <button
        type="button"
        className={BUTTON}
        disabled={none}
        onClick={() => actions.acknowledge.mutate({ ids })}
      >
        Acknowledge
      </button>
      <button
        type="button"
        className={BUTTON}
        disabled={none}
        onClick={() => actions.assignToMe.mutate({ ids })}
      >
        Assign to me
      </button>
      <ResolveForm ids={ids} actions={actions} />
      {error ? (
        <p role="alert" className="text-xs text-rose-700">
          {error.message}
        </p>
      ) : null}
    </div>
  );
}

export function BulkOutcome({ results }: { results: BulkResult | null }) {
  const failed = results?.filter((r) => !r.ok) ?? [];
  if (!results) return null;

  return (
    <p role="status" className="mb-2 text-xs text-slate-600">
      {results.length - failed.length} done
      {failed.length > 0 ? `, ${failed.length} refused: ${failed[0]!.error}` : ''}
    </p>
  );
}
