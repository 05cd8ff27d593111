'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../trpc/client';
import { formatUtc } from '../ui/format';
import { errorMessage } from './error-message';
import { IssuedKeyNotice } from './issued-key';
import type { IssuedKey, KeyRow, PartnersList } from './types';

// A partner's keys with their scopes and state. Rotating issues a new secret with the same
// scopes; the old key keeps working for the chosen grace period (24 h by default), so that the
// partner can switch without a gap, or stops at once.

const CELL = 'px-2 py-1 align-top';
const HEADINGS = [
  'Key',
  'Sites',
  'Event types',
  'May',
  'Created',
  'Last used',
  'Ends',
  'Limit',
  '',
];
const BUTTON = 'rounded border border-slate-300 bg-white px-2 py-0.5 text-xs hover:bg-slate-50';
const GRACE = [
  [24, 'old key works 24 h'],
  [1, 'old key works 1 h'],
  [0, 'revoke old key now'],
] as const;

function stateOf(key: KeyRow, now: Date): { label: string; live: boolean } {
  if (key.revokedAt) return { label: `revoked ${formatUtc(key.revokedAt)}`, live: false };
  if (key.expiresAt && key.expiresAt <= now) {
    return { label: `expired ${formatUtc(key.expiresAt)}`, live: false };
  }

  return { label: key.expiresAt ? `expires ${formatUtc(key.expiresAt)}` : 'no expiry', live: true };
}

function permissionsOf(key: KeyRow): string {
  const may = [
    key.canSendEvents && 'events',
    key.canRead && 'read',
    key.canSendEdi && 'EDI',
    key.canSendEpcis && 'EPCIS',
  ].filter(Boolean);

  return may.length ? may.join(', ') : 'nothing';
}

function useKeyActions(onIssued: (issued: IssuedKey & { oldKeyEndsAt: Date }) => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.partners.list.queryKey() });
  const rotate = useMutation(
    trpc.partners.rotateKey.mutationOptions({
      onSuccess: (issued) => {
        onIssued(issued);
        return refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.partners.revokeKey.mutationOptions({ onSuccess: refresh }));

  return { rotate, revoke };
}

function KeyLine({
  apiKey,
  allTypes,
  limit,
  onIssued,
}: {
  apiKey: KeyRow;
  allTypes: number;
  limit: string;
  onIssued: (issued: IssuedKey & { oldKeyEndsAt: Date }) => void;
}) {
  const [grace, setGrace] = useState<number>(24);
  const { rotate, revoke } = useKeyActions(onIssued);
  const state = stateOf(apiKey, new Date());
  const types =
    apiKey.eventTypes.length === allTypes ? 'all' : apiKey.eventTypes.join(', ') || 'none';
  const error = rotate.error ?? revoke.error;

  return (
    <tr data-key-prefix={apiKey.prefix} className={state.live ? '' : 'text-slate-400'}>
      <td className={CELL}>
        {apiKey.name}
        <div className="font-mono text-xs">ctk_{apiKey.prefix}_…</div>
      </td>
      <td className={`${CELL} font-mono text-xs`}>{apiKey.sites.map((s) => s.code).join(', ')}</td>
      <td className={`${CELL} max-w-48 font-mono text-xs break-words`}>{types}</td>
      <td className={`${CELL} text-xs`}>{permissionsOf(apiKey)}</td>
      <td className={`${CELL} font-mono text-xs`}>{formatUtc(apiKey.createdAt)}</td>
      <td className={`${CELL} font-mono text-xs`}>{formatUtc(apiKey.lastUsedAt)}</td>
      <td className={`${CELL} text-xs`}>{state.label}</td>
      <td className={`${CELL} text-xs whitespace-nowrap`}>{limit}</td>
      <td className={CELL}>
        {state.live ? (
          <div className="flex flex-wrap items-center gap-1">
            <select
              aria-label={`Grace for ${apiKey.prefix}`}
              className="rounded border border-slate-300 text-xs"
              value={grace}
              onChange={(e) => setGrace(Number(e.target.value))}
            >
              {GRACE.map(([hours, label]) => (
                <option key={hours} value={hours}>
                  {label}
                </option>
              ))}
            </select>
            <button
              type="button"
              className={BUTTON}
              disabled={rotate.isPending}
              onClick={() => rotate.mutate({ keyId: apiKey.id, graceHours: grace })}
            >
              Rotate {apiKey.prefix}
            </button>
            <button
              type="button"
              className={`${BUTTON} text-rose-700`}
              disabled={revoke.isPending}
              onClick={() => revoke.mutate({ keyId: apiKey.id })}
            >
              Revoke {apiKey.prefix}
            </button>
          </div>
        ) : null}
        {error ? (
          <p role="alert" className="text-xs text-rose-700">
            {errorMessage(error)}
          </p>
        ) : null}
      </td>
    </tr>
  );
}

export function KeyTable({
  keys,
  options,
}: {
  keys: KeyRow[];
  options: Pick<PartnersList, 'eventTypes' | 'rateLimit'>;
}) {
  const [issued, setIssued] = useState<(IssuedKey & { oldKeyEndsAt: Date }) | null>(null);
  const { perSecond, burst, burstWindowSeconds } = options.rateLimit;
  const limit = `${perSecond}/s${burst ? ` + ${burst} per ${burstWindowSeconds} s` : ''}`;
  if (keys.length === 0) return <p className="text-sm text-slate-500">No key yet.</p>;

  return (
    <div className="space-y-2">
      {issued ? (
        <IssuedKeyNotice
          issued={issued}
          note={`The old key stops at ${formatUtc(issued.oldKeyEndsAt)}.`}
        />
      ) : null}
      <table className="w-full border-collapse text-sm">
        <thead className="text-left text-xs text-slate-500 uppercase">
          <tr>
            {HEADINGS.map((h, i) => (
              <th key={i} className={`${CELL} font-semibold`}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {keys.map((key) => (
            <KeyLine
              key={key.id}
              apiKey={key}
              allTypes={options.eventTypes.length}
              limit={limit}
              onIssued={setIssued}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
