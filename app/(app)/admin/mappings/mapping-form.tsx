'use client';

import { useState, type FormEvent } from 'react';
import {
  BUTTON,
  errorText,
  FIELD,
  KIND_LABEL,
  KINDS,
  type MappingKind,
  type MappingOptions,
  type MappingRow,
  type MappingTarget,
} from './types';

// Adds a mapping, or edits one (its partner and kind then stay). Targets are our codes; the
// lists that are short (sites, carriers) are offered, the long ones (customers, SKUs) typed.

export interface Draft {
  partnerId: string;
  kind: MappingKind;
  externalId: string;
}

interface Props {
  options: MappingOptions;
  editing: MappingRow | null;
  draft: Draft;
  pending: boolean;
  error: { message: string; data?: unknown } | null;
  onSave: (input: { externalId: string; target: MappingTarget; note?: string } & Draft) => void;
  onCancel: () => void;
}

interface Fields {
  code: string;
  locationCode: string;
  dock: string;
  locationType: 'SITE' | 'CUSTOMER_LOCATION';
}

function fieldsOf(row: MappingRow | null): Fields {
  const t = row?.target;
  const blank: Fields = { code: '', locationCode: '', dock: '', locationType: 'SITE' };
  if (!t) return blank;
  switch (t.type) {
    case 'SITE':
      return { ...blank, code: t.siteCode, dock: t.dock ?? '' };
    case 'CUSTOMER_LOCATION':
      return { ...blank, code: t.customerCode, locationCode: t.locationCode, locationType: t.type };
    case 'SKU':
      return { ...blank, code: t.skuCode };
    case 'CARRIER':
      return { ...blank, code: t.carrierCode };
    case 'CUSTOMER':
      return { ...blank, code: t.customerCode };
  }
}

function targetOf(kind: MappingKind, f: Fields): MappingTarget {
  if (kind === 'PARTNER_ID') return { type: 'CUSTOMER', customerCode: f.code };
  if (kind === 'SKU') return { type: 'SKU', skuCode: f.code };
  if (kind === 'CARRIER') return { type: 'CARRIER', carrierCode: f.code };
  if (f.locationType === 'SITE') {
    return { type: 'SITE', siteCode: f.code, ...(f.dock ? { dock: f.dock } : {}) };
  }

  return { type: 'CUSTOMER_LOCATION', customerCode: f.code, locationCode: f.locationCode };
}

function Input(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  hint?: string;
  list?: string;
}) {
  return (
    <label className="flex flex-col gap-0.5 text-xs text-slate-600">
      {props.label}
      <input
        className={FIELD}
        value={props.value}
        placeholder={props.hint}
        list={props.list}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </label>
  );
}

function TargetFields(props: {
  kind: MappingKind;
  fields: Fields;
  set: (f: Partial<Fields>) => void;
  options: MappingOptions;
}) {
  const { kind, fields, set, options } = props;
  if (kind === 'PARTNER_ID') {
    return <Input label="Customer code" value={fields.code} onChange={(code) => set({ code })} />;
  }
  if (kind === 'SKU') {
    return <Input label="SKU code" value={fields.code} onChange={(code) => set({ code })} />;
  }
  if (kind === 'CARRIER') {
    return (
      <>
        <Input
          label="Carrier code"
          value={fields.code}
          list="mapping-carriers"
          onChange={(code) => set({ code })}
        />
        <datalist id="mapping-carriers">
          {options.carriers.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </datalist>
      </>
    );
  }

  return (
    <>
      <label className="flex flex-col gap-0.5 text-xs text-slate-600">
        Names
        <select
          className={FIELD}
          value={fields.locationType}
          onChange={(e) =>
            set({ locationType: e.target.value as Fields['locationType'], code: '' })
          }
        >
          <option value="SITE">one of our sites</option>
          <option value="CUSTOMER_LOCATION">a customer&apos;s location</option>
        </select>
      </label>
      {fields.locationType === 'SITE' ? (
        <>
          <Input
            label="Site code"
            value={fields.code}
            list="mapping-sites"
            onChange={(code) => set({ code })}
          />
          <datalist id="mapping-sites">
            {options.sites.map((s) => (
              <option key={s.code} value={s.code}>
                {s.name}
              </option>
            ))}
          </datalist>
          <Input label="Dock (optional)" value={fields.dock} onChange={(dock) => set({ dock })} />
        </>
      ) : (
        <>
          <Input label="Customer code" value={fields.code} onChange={(code) => set({ code })} />
          <Input
            label="Location code"
            value={fields.locationCode}
            onChange={(locationCode) => set({ locationCode })}
          />
        </>
      )}
    </>
  );
}

export function MappingForm(props: Props) {
  const { options, editing } = props;
  const [draft, setDraft] = useState<Draft>(props.draft);
  const [fields, setFields] = useState<Fields>(fieldsOf(editing));
  const [note, setNote] = useState(editing?.note ?? '');
  const set = (f: Partial<Fields>) => setFields((old) => ({ ...old, ...f }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSave({ ...draft, target: targetOf(draft.kind, fields), ...(note ? { note } : {}) });
  };

  return (
    <form
      onSubmit={submit}
      aria-label={editing ? 'Edit mapping' : 'New mapping'}
      className="flex flex-wrap items-end gap-2"
    >
      <label className="flex flex-col gap-0.5 text-xs text-slate-600">
        Partner
        <select
          className={FIELD}
          value={draft.partnerId}
          disabled={editing !== null}
          onChange={(e) => setDraft({ ...draft, partnerId: e.target.value })}
        >
          {options.partners.map((p) => (
            <option key={p.id} value={p.id}>
              {p.code}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-0.5 text-xs text-slate-600">
        Kind
        <select
          className={FIELD}
          value={draft.kind}
          disabled={editing !== null}
          onChange={(e) => {
            setDraft({ ...draft, kind: e.target.value as MappingKind });
            set({ code: '', locationCode: '', dock: '' });
          }}
        >
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </select>
      </label>
      <Input
        label="Partner's identifier"
        hint="e.g. UK:10071179017073"
        value={draft.externalId}
        onChange={(externalId) => setDraft({ ...draft, externalId })}
      />
      <TargetFields kind={draft.kind} fields={fields} set={set} options={options} />
      <Input label="Note (optional)" value={note} onChange={setNote} />
      <button type="submit" className={BUTTON} disabled={props.pending}>
        {editing ? 'Save changes' : 'Add mapping'}
      </button>
      {editing ? (
        <button type="button" className={BUTTON} onClick={props.onCancel}>
          Cancel
        </button>
      ) : null}
      {props.error ? (
        <p role="alert" className="w-full text-rose-700">
          {errorText(props.error)}
        </p>
      ) : null}
    </form>
  );
}
