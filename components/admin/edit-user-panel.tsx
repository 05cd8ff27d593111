'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../trpc/client';
import { Panel } from '../ui/panel';
import { draftOf, type FormOptions, type UserDraft, type UserRow } from './types';
import { UserFields } from './user-fields';

interface Props {
  user: UserRow;
  options: FormOptions;
  onClose: () => void;
}

export function EditUserPanel({ user, options, onClose }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<UserDraft>(() => draftOf(user));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  const update = useMutation(trpc.users.update.mutationOptions({ onSuccess: refresh }));
  const setActive = useMutation(trpc.users.setActive.mutationOptions({ onSuccess: refresh }));
  const error = update.error ?? setActive.error;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    update.mutate({ id: user.id, ...draft, siteIds: draft.allSites ? [] : draft.siteIds });
  }

  return (
    <Panel
      title={`Edit ${user.email}`}
      aside={
        <button type="button" onClick={onClose} className="text-slate-500 hover:text-slate-900">
          Close
        </button>
      }
    >
      <form onSubmit={onSubmit} aria-label="Edit user" className="space-y-2">
        <UserFields draft={draft} options={options} onChange={setDraft} />
        {error && (
          <p role="alert" className="text-red-700">
            {error.message}
          </p>
        )}
        {update.isSuccess && !update.isPending && (
          <p role="status" className="text-emerald-700">
            Saved.
          </p>
        )}
        <div className="flex gap-2">
          <button
            type="submit"
            disabled={update.isPending}
            className="rounded bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-60"
          >
            Save changes
          </button>
          <button
            type="button"
            disabled={setActive.isPending}
            onClick={() => setActive.mutate({ id: user.id, active: !user.active })}
            className="rounded border border-slate-300 px-3 py-1.5 hover:bg-slate-100 disabled:opacity-60"
          >
            {user.active ? 'Deactivate' : 'Reactivate'}
          </button>
        </div>
      </form>
    </Panel>
  );
}
