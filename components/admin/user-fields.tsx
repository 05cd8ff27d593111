'use client';

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

export function Labelled({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <label className="block space-y-0.5">
      <span className="text-xs font-medium text-slate-600">{label}</span>
      {children}
    </label>
  );
}

export function UserFields({ draft, options, onChange }: Props) {
  const set = (patch: Partial<UserDraft>) => onChange({ ...draft, ...patch });
  const toggleSite = (id: string) =>
    set({
      siteIds: draft.siteIds.includes(id)
        ? draft.siteIds.filter((s) => s !== id)
        : [...draft.siteIds, id],
    });

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
      <Labelled label="Role">
        <select
          className={INPUT}
          value={draft.role}
          onChange={(e) => set({ role: e.target.value as Role })}
        >
          {Object.values(Role).map((role) => (
            <option key={role} value={role}>
              {roleLabel(role)}
            </option>
          ))}
        </select>
      </Labelled>
      <Labelled label="Level">
        <select
          className={INPUT}
          value={draft.level}
          onChange={(e) => set({ level: e.target.value as UserLevel })}
        >
          {Object.values(UserLevel).map((level) => (
            <option key={level} value={level}>
              {level.replaceAll('_', ' ').toLowerCase()}
            </option>
          ))}
        </select>
      </Labelled>
      <Labelled label="Team">
        <select
          className={INPUT}
          value={draft.teamId ?? ''}
          onChange={(e) => set({ teamId: e.target.value || null })}
        >
          <option value="">No team</option>
          {options.teams.map((team) => (
            <option key={team.id} value={team.id}>
              {team.site.code} · {team.name}
            </option>
          ))}
        </select>
      </Labelled>
      <fieldset className="space-y-1">
        <legend className="text-xs font-medium text-slate-600">Sites</legend>
        <label className="flex items-center gap-2">
          <input
            type="checkbox"
            checked={draft.allSites}
            onChange={(e) => set({ allSites: e.target.checked })}
          />
          All sites
        </label>
        {!draft.allSites &&
          options.sites.map((site) => (
            <label key={site.id} className="flex items-center gap-2">
              <input
                type="checkbox"
                checked={draft.siteIds.includes(site.id)}
                onChange={() => toggleSite(site.id)}
              />
              <span className="font-mono">{site.code}</span> {site.name}
            </label>
          ))}
      </fieldset>
    </>
  );
}
