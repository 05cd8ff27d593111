'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/client';
import { Panel } from '@/components/ui/panel';
import { BUTTON, type MappingKind } from './types';

// What the partner's stored documents hold events back for, most events first. It refreshes on
// its own while the re-read job works through them after a mapping is added; a re-read can be
// asked for by hand once master data was fixed instead (a SKU given its GTIN).

export function WaitingList(props: {
  partnerId: string;
  onMap: (kind: MappingKind, externalId: string) => void;
}) {
  const trpc = useTRPC();
  const unmatched = useQuery({
    ...trpc.mappings.unmatched.queryOptions({ partnerId: props.partnerId }),
    refetchInterval: 5_000,
  });
  const reapply = useMutation(trpc.mappings.reapply.mutationOptions());
  const rows = unmatched.data;

  return (
    <Panel
      title="Waiting for a mapping"
      aside={rows ? <span className="text-xs text-slate-500">{rows.length}</span> : null}
    >
      {rows === undefined ? (
        <p className="text-slate-500">Loading…</p>
      ) : rows.length === 0 ? (
        <p className="text-slate-500">No held events: every reference this partner sent matches.</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm" aria-label="Unmatched references">
          {rows.map((r) => (
            <li key={`${r.kind}:${r.value}`} className="flex items-start gap-2 py-1.5">
              <span className="flex-1">
                {r.text}
                <span className="block text-xs text-slate-500">
                  holds {r.events} event{r.events === 1 ? '' : 's'}
                </span>
              </span>
              {r.value.startsWith('(') ? null : (
                <button
                  type="button"
                  className={BUTTON}
                  onClick={() => props.onMap(r.kind, r.value)}
                >
                  Map
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {rows?.length ? (
        <div className="mt-2 flex items-center gap-2 text-xs text-slate-600">
          <button
            type="button"
            className={BUTTON}
            disabled={reapply.isPending}
            onClick={() => reapply.mutate({ partnerId: props.partnerId })}
          >
            Read held documents again
          </button>
          {reapply.data?.reapplying ? (
            <span role="status">Re-reading; the list follows.</span>
          ) : null}
          {reapply.error ? <span role="alert">{reapply.error.message}</span> : null}
        </div>
      ) : null}
    </Panel>
  );
}
