'use client';

import type { ReactNode } from 'react';
import { Role, UserLevel } from '@/server/db/generated/enums';
import { WORKSPACES } from '@/server/auth/workspaces';
import type { FormOptions, UserDraft } from './types';

interface Props {
  draft: UserDraft;
  options: FormOptions;
  onChange: (next: UserDraft) => void;
}

const INPUT = 'w-full rounded border border-slate-300 bg-white px-2 py-1';
const roleLabel = (role: Role) => WORKSPACES.find((w) => w.role === role)?.roleLabel ?? role;
const levelLabel = (level: UserLevel) => level.replaceAll('_', ' ').toLowerCase();

export function Labelled({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="block space-y-0.5">
      <span className="text-xs font-medium text-slate-600">{label}</span>
      {children}
    </label>
  );
}

function Select<T extends string>(props: {
  label: string;
  value: T;
  choices: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
}) {
  return (
    <Labelled label={props.label}>
      <select
        className={INPUT}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value as T)}
      >
        {props.choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </Labelled>
  );
}

function SitesFieldset({ draft, options, onChange }: Props) {
  const toggle = (id: string) => {
    const siteIds = draft.siteIds.includes(id)
      ? draft.siteIds.filter((s) => s !== id)
      : [...draft.siteIds, id];
    onChange({ ...draft, siteIds });
  };

  return (
    <fieldset className="space-y-1">
      <legend className="text-xs font-medium text-slate-600">Sites</legend>
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          checked={draft.allSites}
          onChange={(e) => onChange({ ...draft, allSites: e.target.checked })}
        />
        All sites
      </label>
      {!draft.allSites &&
        options.sites.map((site) => (
          <label key={site.id} className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={draft.siteIds.includes(site.id)}
              onChange={() => toggle(site.id)}
            />
            <span className="font-mono">{site.code}</span> {site.name}
          </label>
        ))}
    </fieldset>
  );
}

export function UserFields({ draft, options, onChange }: Props) {
  const set = (patch: Partial<UserDraft>) => onChange({ ...draft, ...patch });
  const teams = options.teams.map((t) => ({ value: t.id, label: `${t.site.code} · ${t.name}` }));

  return (
    <>
      <Labelled label="Name">
        <input
          className={INPUT}
          value={draft.name}
          required
          onChange={(e) => set({ name: e.target.value })}
        />
      </Labelled>
      <Select
        label="Role"
        value={draft.role}
        choices={Object.values(Role).map((value) => ({ value, label: roleLabel(value) }))}
        onChange={(role) => set({ role })}
      />
      <Select
        label="Level"
        value={draft.level}
        choices={Object.values(UserLevel).map((value) => ({ value, label: levelLabel(value) }))}
        onChange={(level) => set({ level })}
      />
      <Select
        label="Team"
        value={draft.teamId ?? ''}
        choices={[{ value: '', label: 'No team' }, ...teams]}
        onChange={(teamId) => set({ teamId: teamId || null })}
      />
      <SitesFieldset draft={draft} options={options} onChange={onChange} />
    </>
  );
}
