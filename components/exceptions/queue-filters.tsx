'use client';

import type { QueueData, QueueFilters } from './types';
import { SEVERITY_OPTIONS, STATUS_OPTIONS, TYPE_OPTIONS } from './types';

interface Props {
  filters: QueueFilters;
  sites: QueueData['sites'];
  onChange: (filters: QueueFilters) => void;
}

const SELECT = 'rounded border border-slate-200 bg-white px-1.5 py-1 text-xs';

function Choice(props: {
  label: string;
  value: string | undefined;
  options: { value: string; label: string }[];
  all?: string;
  onChange: (value: string | undefined) => void;
}) {
  return (
    <label className="flex items-center gap-1 text-xs text-slate-600">
      {props.label}
      <select
        className={SELECT}
        value={props.value ?? ''}
        onChange={(e) => props.onChange(e.target.value || undefined)}
      >
        {props.all ? <option value="">{props.all}</option> : null}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

const asOptions = (values: string[]) =>
  values.map((v) => ({ value: v, label: v.replaceAll('_', ' ') }));

export function QueueFilterBar({ filters, sites, onChange }: Props) {
  const set = (patch: Partial<QueueFilters>) => onChange({ ...filters, ...patch });

  return (
    <div role="group" aria-label="Filters" className="mb-3 flex flex-wrap items-center gap-3">
      <Choice
        label="Status"
        value={filters.status ?? 'ACTIVE'}
        options={asOptions(STATUS_OPTIONS)}
        onChange={(v) => set({ status: (v ?? 'ACTIVE') as QueueFilters['status'] })}
      />
      <Choice
        label="Type"
        value={filters.type}
        all="All"
        options={asOptions(TYPE_OPTIONS)}
        onChange={(v) => set({ type: v as QueueFilters['type'] })}
      />
      <Choice
        label="Severity"
        value={filters.severity}
        all="All"
        options={asOptions(SEVERITY_OPTIONS)}
        onChange={(v) => set({ severity: v as QueueFilters['severity'] })}
      />
      <Choice
        label="Site"
        value={filters.siteId}
        all="All"
        options={sites.map((s) => ({ value: s.id, label: s.code }))}
        onChange={(v) => set({ siteId: v })}
      />
      <label className="flex items-center gap-1 text-xs text-slate-600">
        <input
          type="checkbox"
          checked={filters.mine ?? false}
          onChange={(e) => set({ mine: e.target.checked })}
        />
        Assigned to me
      </label>
      <label className="flex items-center gap-1 text-xs text-slate-600">
        <input
          type="checkbox"
          checked={filters.breached ?? false}
          onChange={(e) => set({ breached: e.target.checked })}
        />
        Breached
      </label>
    </div>
  );
}
