'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../trpc/client';
import { Panel } from '../ui/panel';
import type { HandRecordInput, HandTarget } from './floor-types';
import { PickFields, StageFields } from './hand-fields';
import { HandResult } from './hand-result';

// A supervisor records a pick or a stage the WMS did not send. The entry goes through the same
// intake as a partner's event, and its answer (accepted, or rejected with reasons) shows here.

type Kind = HandRecordInput['kind'];

function inputOf(kind: Kind, ref: string, form: FormData): HandRecordInput {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  if (kind === 'PICK') {
    return {
      kind,
      ref,
      lineNo: Number(text('lineNo')),
      quantity: text('quantity'),
      uom: text('uom'),
      lot: text('lot'),
      location: text('location'),
    };
  }

  return {
    kind,
    ref,
    handlingUnits: Number(text('handlingUnits')),
    weightKg: text('weightKg'),
    volumeM3: text('volumeM3'),
    dock: text('dock'),
  };
}

function KindChoice({ kind, onChange }: { kind: Kind; onChange: (kind: Kind) => void }) {
  const option = (value: Kind, label: string) => (
    <label className="flex items-center gap-1">
      <input type="radio" name="kind" checked={kind === value} onChange={() => onChange(value)} />
      {label}
    </label>
  );

  return (
    <fieldset className="flex gap-4">
      <legend className="sr-only">What to record</legend>
      {option('PICK', 'Pick completed')}
      {option('STAGE', 'Packed and staged')}
    </fieldset>
  );
}

function useHandRecord() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();

  return useMutation(
    trpc.warehouse.recordByHand.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.warehouse.floor.queryKey() }),
    }),
  );
}

function EntryForm({ target, kind }: { target: HandTarget; kind: Kind }) {
  const record = useHandRecord();
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    record.mutate(inputOf(kind, target.ref, new FormData(event.currentTarget)));
  };

  return (
    <form aria-label="Record by hand" onSubmit={onSubmit} className="space-y-3">
      {kind === 'PICK' ? <PickFields target={target} /> : <StageFields target={target} />}
      <button
        type="submit"
        disabled={record.isPending}
        className="rounded bg-slate-800 px-3 py-1.5 font-medium text-white disabled:opacity-50"
      >
        {record.isPending ? 'Recording…' : `Record ${kind === 'PICK' ? 'pick' : 'stage'}`}
      </button>
      {record.error ? (
        <p role="alert" className="text-rose-700">
          {record.error.message}
        </p>
      ) : null}
      {record.data ? <HandResult result={record.data} /> : null}
    </form>
  );
}

function ShipmentFinder({
  initialRef,
  onFind,
}: {
  initialRef: string;
  onFind: (ref: string) => void;
}) {
  const [draft, setDraft] = useState(initialRef);

  return (
    <label className="block">
      <span className="text-xs text-slate-600">Shipment</span>
      <input
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => onFind(draft.trim())}
        onKeyDown={(e) => {
          if (e.key === 'Enter') onFind(draft.trim());
        }}
        placeholder="Shipment ref"
        aria-label="Shipment ref"
        className="w-full rounded border border-slate-300 px-2 py-1 font-mono"
      />
    </label>
  );
}

/** Remount with `key` to start over for another shipment picked on the board. */
export function HandRecordForm({ initialRef = '' }: { initialRef?: string }) {
  const trpc = useTRPC();
  const [ref, setRef] = useState(initialRef);
  const [kind, setKind] = useState<Kind>('STAGE');
  const target = useQuery(
    trpc.warehouse.handTarget.queryOptions({ ref }, { enabled: ref.length > 0, retry: false }),
  );

  return (
    <Panel title="Record by hand">
      <div className="space-y-3">
        <ShipmentFinder initialRef={initialRef} onFind={setRef} />
        <KindChoice kind={kind} onChange={setKind} />
        {target.error ? (
          <p role="alert" className="text-rose-700">
            {target.error.message}
          </p>
        ) : null}
        {target.data ? (
          <EntryForm key={`${target.data.ref}:${kind}`} target={target.data} kind={kind} />
        ) : null}
      </div>
    </Panel>
  );
}
