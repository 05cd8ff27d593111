'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../trpc/client';
import { EMPTY_DRAFT, type FormOptions, type UserDraft } from './types';
import { Labelled, UserFields } from './user-fields';

export function CreateUserForm({ options }: { options: FormOptions }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<UserDraft>(EMPTY_DRAFT);
  const [email, setEmail] = useState('');
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: () => {
        setDraft(EMPTY_DRAFT);
        setEmail('');
        void queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
      },
    }),
  );

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ ...draft, email, siteIds: draft.allSites ? [] : draft.siteIds });
  }

  return (
    <form onSubmit={onSubmit} aria-label="Create user" className="space-y-2">
      <Labelled label="E-mail">
        <input
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          className="w-full rounded border border-slate-300 bg-white px-2 py-1"
        />
      </Labelled>
      <UserFields draft={draft} options={options} onChange={setDraft} />
      {create.error && (
        <p role="alert" className="text-red-700">
          {create.error.message}
        </p>
      )}
      <button
        type="submit"
        disabled={create.isPending}
        className="rounded bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-60"
      >
        Create user
      </button>
      {create.data && (
        <InitialPassword email={create.data.user.email} password={create.data.initialPassword} />
      )}
    </form>
  );
}

function InitialPassword({ email, password }: { email: string; password: string }) {
  return (
    <div role="status" className="rounded border border-amber-300 bg-amber-50 p-2">
      <p>
        Created <strong>{email}</strong>. Initial password, shown once:
      </p>
      <code data-testid="initial-password" className="mt-1 block font-mono text-base select-all">
        {password}
      </code>
    </div>
  );
}
