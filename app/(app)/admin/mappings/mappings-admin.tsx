'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { Panel } from '@/components/ui/panel';
import { MappingForm, type Draft } from './mapping-form';
import {
  BUTTON,
  errorText,
  FIELD,
  KIND_LABEL,
  KINDS,
  type MappingKind,
  type MappingRow,
} from './types';
import { WaitingList } from './waiting-list';

// Admins only (the page guards it; the router refuses everyone else). One partner's table at a
// time, searched and paged on the server; what its held documents wait for beside it.

const PAGE = 50;

function useMappings(filter: {
  partnerId?: string;
  kind?: MappingKind;
  search: string;
  offset: number;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const onSuccess = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.mappings.list.queryKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.mappings.unmatched.queryKey() });
  };
  const { search, ...rest } = filter;

  return {
    list: useQuery(
      trpc.mappings.list.queryOptions({ ...rest, ...(search ? { search } : {}), limit: PAGE }),
    ),
    create: useMutation(trpc.mappings.create.mutationOptions({ onSuccess })),
    update: useMutation(trpc.mappings.update.mutationOptions({ onSuccess })),
    remove: useMutation(trpc.mappings.delete.mutationOptions({ onSuccess })),
  };
}

export function MappingsAdmin() {
  const trpc = useTRPC();
  const options = useQuery(trpc.mappings.options.queryOptions());
  const [partnerId, setPartnerId] = useState<string | undefined>(undefined);
  const [kind, setKind] = useState<MappingKind | undefined>(undefined);
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const [editing, setEditing] = useState<MappingRow | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [formKey, setFormKey] = useState(0);
  const deferred = useDeferredValue(search.trim());
  const partner = partnerId ?? options.data?.partners[0]?.id;
  const m = useMappings({ partnerId: partner, kind, search: deferred, offset });

  if (!options.data) return <p className="text-slate-500">Loading…</p>;
  if (options.data.partners.length === 0) {
    return <p className="text-slate-500">No partners yet: create one with its API key first.</p>;
  }
  const blank: Draft = { partnerId: partner!, kind: kind ?? 'SKU', externalId: '' };
  const startDraft = (next: Draft | null, row: MappingRow | null = null) => {
    setEditing(row);
    setDraft(next);
    setFormKey((k) => k + 1);
    m.create.reset();
    m.update.reset();
  };
  const save: Parameters<typeof MappingForm>[0]['onSave'] = (input) => {
    const { partnerId: p, kind: k, externalId, target, note } = input;
    const done = { onSuccess: () => startDraft(null) };
    if (editing) m.update.mutate({ id: editing.id, externalId, target, note }, done);
    else m.create.mutate({ partnerId: p, kind: k, externalId, target, note }, done);
  };
  const total = m.list.data?.total ?? 0;

  return (
    <div className="grid gap-4 lg:grid-cols-[1fr_22rem]">
      <Panel
        title="Mappings"
        aside={
          <button type="button" className={BUTTON} onClick={() => startDraft(blank)}>
            New mapping
          </button>
        }
      >
        <div className="mb-3 flex flex-wrap gap-2">
          <select
            aria-label="Partner"
            className={FIELD}
            value={partner}
            onChange={(e) => {
              setPartnerId(e.target.value);
              setOffset(0);
            }}
          >
            {options.data.partners.map((p) => (
              <option key={p.id} value={p.id}>
                {p.code} ({p.name})
              </option>
            ))}
          </select>
          <select
            aria-label="Kind"
            className={FIELD}
            value={kind ?? ''}
            onChange={(e) => {
              setKind((e.target.value || undefined) as MappingKind | undefined);
              setOffset(0);
            }}
          >
            <option value="">every kind</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABEL[k]}
              </option>
            ))}
          </select>
          <input
            aria-label="Search"
            className={FIELD}
            placeholder="identifier or our code"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setOffset(0);
            }}
          />
        </div>
        {draft ? (
          <div className="mb-3 rounded border border-sky-200 bg-sky-50 p-2">
            <MappingForm
              key={formKey}
              options={options.data}
              editing={editing}
              draft={draft}
              pending={m.create.isPending || m.update.isPending}
              error={editing ? m.update.error : m.create.error}
              onSave={save}
              onCancel={() => startDraft(null)}
            />
          </div>
        ) : null}
        {m.remove.error ? (
          <p role="alert" className="mb-2 text-rose-700">
            {errorText(m.remove.error)}
          </p>
        ) : null}
        <MappingTable
          rows={m.list.data?.items}
          onEdit={(row) =>
            startDraft(
              { partnerId: row.partnerId, kind: row.kind, externalId: row.externalId },
              row,
            )
          }
          onDelete={(row) => {
            if (window.confirm(`Delete the mapping of ${row.externalId}?`))
              m.remove.mutate({ id: row.id });
          }}
        />
        <div className="mt-2 flex items-center gap-2 text-xs text-slate-600">
          <span>
            {total === 0 ? 'none' : `${offset + 1}–${Math.min(offset + PAGE, total)} of ${total}`}
          </span>
          <button
            type="button"
            className={BUTTON}
            disabled={offset === 0}
            onClick={() => setOffset(Math.max(0, offset - PAGE))}
          >
            Previous
          </button>
          <button
            type="button"
            className={BUTTON}
            disabled={offset + PAGE >= total}
            onClick={() => setOffset(offset + PAGE)}
          >
            Next
          </button>
        </div>
      </Panel>
      {partner ? (
        <WaitingList
          partnerId={partner}
          onMap={(k, externalId) => startDraft({ partnerId: partner, kind: k, externalId })}
        />
      ) : null}
    </div>
  );
}

function MappingTable(props: {
  rows: MappingRow[] | undefined;
  onEdit: (row: MappingRow) => void;
  onDelete: (row: MappingRow) => void;
}) {
  if (!props.rows) return <p className="text-slate-500">Loading…</p>;
  if (props.rows.length === 0) return <p className="text-slate-500">No mappings match.</p>;

  return (
    <table className="w-full text-sm" aria-label="Mappings">
      <thead className="text-left text-xs text-slate-500">
        <tr>
          <th className="py-1">Kind</th>
          <th>Partner&apos;s identifier</th>
          <th>Ours</th>
          <th>Note</th>
          <th />
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {props.rows.map((row) => (
          <tr key={row.id}>
            <td className="py-1 text-xs">{row.kind}</td>
            <td className="font-mono">{row.externalId}</td>
            <td>{row.targetText}</td>
            <td className="text-slate-500">{row.note}</td>
            <td className="space-x-1 text-right whitespace-nowrap">
              <button type="button" className={BUTTON} onClick={() => props.onEdit(row)}>
                Edit
              </button>
              <button type="button" className={BUTTON} onClick={() => props.onDelete(row)}>
                Delete
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
