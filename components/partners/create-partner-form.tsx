'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../trpc/client';
import { errorMessage } from './error-message';

const KINDS = ['WMS', 'TMS', 'CARRIER', 'ERP', 'CUSTOMER'] as const;
const INPUT = 'rounded border border-slate-300 px-2 py-1 text-sm';

export function CreatePartnerForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<(typeof KINDS)[number]>('WMS');
  const create = useMutation(
    trpc.partners.create.mutationOptions({
      onSuccess: () => {
        setCode('');
        setName('');
        return queryClient.invalidateQueries({ queryKey: trpc.partners.list.queryKey() });
      },
    }),
  );

  return (
    <form
      aria-label="Create partner"
      className="flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ code: code.trim().toUpperCase(), name, kind });
      }}
    >
      <label className="flex flex-col text-xs text-slate-600">
        Code
        <input
          className={`${INPUT} w-32 font-mono uppercase`}
          value={code}
          required
          onChange={(e) => setCode(e.target.value)}
        />
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        Name
        <input
          className={`${INPUT} w-64`}
          value={name}
          required
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        Kind
        <select
          className={INPUT}
          value={kind}
          onChange={(e) => setKind(e.target.value as (typeof KINDS)[number])}
        >
          {KINDS.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </label>
      <button
        type="submit"
        disabled={create.isPending}
        className="rounded bg-slate-800 px-3 py-1 text-sm font-medium text-white hover:bg-slate-700"
      >
        Create partner
      </button>
      {create.error ? (
        <p role="alert" className="w-full text-sm text-rose-700">
          {errorMessage(create.error)}
        </p>
      ) : null}
    </form>
  );
}
