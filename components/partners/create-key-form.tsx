'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../trpc/client';
import { errorMessage } from './error-message';
import { IssuedKeyNotice } from './issued-key';
import type { IssuedKey, PartnerRow, PartnersList } from './types';

const INPUT = 'rounded border border-slate-300 px-2 py-1 text-sm';
const PERMISSIONS = [
  ['canSendEvents', 'Send events'],
  ['canRead', 'Read shipments'],
  ['canSendEdi', 'Send EDI (X12)'],
  ['canSendEpcis', 'Send EPCIS'],
] as const;
type Permission = (typeof PERMISSIONS)[number][0];

function toggled<T>(list: T[], item: T, on: boolean): T[] {
  return on ? [...new Set([...list, item])] : list.filter((x) => x !== item);
}

export function CreateKeyForm({
  partner,
  options,
}: {
  partner: PartnerRow;
  options: Pick<PartnersList, 'sites' | 'eventTypes'>;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [siteIds, setSiteIds] = useState<string[]>([]);
  const [eventTypes, setEventTypes] = useState<string[]>(options.eventTypes);
  const [permissions, setPermissions] = useState<Record<Permission, boolean>>({
    canSendEvents: true,
    canRead: true,
    canSendEdi: false,
    canSendEpcis: false,
  });
  const [expires, setExpires] = useState('');
  const [issued, setIssued] = useState<IssuedKey | null>(null);
  const create = useMutation(
    trpc.partners.createKey.mutationOptions({
      onSuccess: (key) => {
        setIssued(key);
        setName('');
        return queryClient.invalidateQueries({ queryKey: trpc.partners.list.queryKey() });
      },
    }),
  );
  const submit = () =>
    create.mutate({
      partnerId: partner.id,
      name,
      siteIds,
      eventTypes: eventTypes as (typeof options.eventTypes)[number][],
      ...permissions,
      // The end of the chosen day, UTC: a key "valid until" a date works through that date.
      expiresAt: expires ? new Date(`${expires}T23:59:59Z`) : null,
    });

  return (
    <form
      aria-label={`Create key for ${partner.code}`}
      className="space-y-2 rounded border border-slate-200 p-3 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col text-xs text-slate-600">
          Key name
          <input
            className={`${INPUT} w-56`}
            value={name}
            required
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="flex flex-col text-xs text-slate-600">
          Expires after (optional)
          <input
            type="date"
            className={INPUT}
            value={expires}
            onChange={(e) => setExpires(e.target.value)}
          />
        </label>
      </div>
      <fieldset className="flex flex-wrap gap-3">
        <legend className="text-xs text-slate-600">Sites</legend>
        {options.sites.map((site) => (
          <label key={site.id} className="flex items-center gap-1">
            <input
              type="checkbox"
              checked={siteIds.includes(site.id)}
              onChange={(e) => setSiteIds(toggled(siteIds, site.id, e.target.checked))}
            />
            {site.code}
          </label>
        ))}
      </fieldset>
      <fieldset className="flex flex-wrap gap-3">
        <legend className="text-xs text-slate-600">Permissions</legend>
        {PERMISSIONS.map(([field, label]) => (
          <label key={field} className="flex items-center gap-1">
            <input
              type="checkbox"
              checked={permissions[field]}
              onChange={(e) => setPermissions({ ...permissions, [field]: e.target.checked })}
            />
            {label}
          </label>
        ))}
      </fieldset>
      <details>
        <summary className="cursor-pointer text-xs text-slate-600">
          Event types ({eventTypes.length} of {options.eventTypes.length})
        </summary>
        <fieldset className="mt-1 flex flex-wrap gap-3">
          {options.eventTypes.map((type) => (
            <label key={type} className="flex items-center gap-1 font-mono text-xs">
              <input
                type="checkbox"
                checked={eventTypes.includes(type)}
                onChange={(e) => setEventTypes(toggled(eventTypes, type, e.target.checked))}
              />
              {type}
            </label>
          ))}
        </fieldset>
      </details>
      <button
        type="submit"
        disabled={create.isPending}
        className="rounded bg-slate-800 px-3 py-1 font-medium text-white hover:bg-slate-700"
      >
        Create key
      </button>
      {create.error ? (
        <p role="alert" className="text-rose-700">
          {errorMessage(create.error)}
        </p>
      ) : null}
      {issued ? <IssuedKeyNotice issued={issued} /> : null}
    </form>
  );
}
