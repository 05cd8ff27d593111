'use client';

import { WORKSPACES } from '@/server/auth/workspaces';
import type { UserRow } from './types';

const HEADINGS = [
  'Name',
  'E-mail',
  'Role',
  'Level',
  'Team',
  'Sites',
  'Last sign-in (UTC)',
  'Status',
  '',
];
const CELL = 'px-2 py-1';

const roleLabel = (role: UserRow['role']) =>
  WORKSPACES.find((w) => w.role === role)?.roleLabel ?? role;

function when(value: Date | null): string {
  return value ? value.toISOString().slice(0, 16).replace('T', ' ') : 'never';
}

function UserLine({
  user,
  selected,
  onSelect,
}: {
  user: UserRow;
  selected: boolean;
  onSelect: () => void;
}) {
  const tone = selected ? 'bg-sky-50' : user.active ? '' : 'text-slate-400';
  const sites = user.allSites ? 'all' : user.sites.map((s) => s.code).join(', ') || '—';

  return (
    <tr className={tone}>
      <td className={`${CELL} font-medium`}>{user.name}</td>
      <td className={CELL}>{user.email}</td>
      <td className={CELL}>{roleLabel(user.role)}</td>
      <td className={CELL}>{user.level.replaceAll('_', ' ').toLowerCase()}</td>
      <td className={CELL}>{user.team?.name ?? '—'}</td>
      <td className={`${CELL} font-mono text-xs`}>{sites}</td>
      <td className={`${CELL} font-mono text-xs whitespace-nowrap`}>{when(user.lastLoginAt)}</td>
      <td className={CELL}>{user.active ? 'active' : 'deactivated'}</td>
      <td className={`${CELL} text-right`}>
        <button
          type="button"
          onClick={onSelect}
          className="text-sky-700 hover:underline"
          aria-label={`Edit ${user.email}`}
        >
          Edit
        </button>
      </td>
    </tr>
  );
}

interface Props {
  users: UserRow[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}

export function UserTable({ users, selectedId, onSelect }: Props) {
  return (
    <table className="w-full border-collapse text-left">
      <thead className="bg-slate-100 text-xs text-slate-600 uppercase">
        <tr>
          {HEADINGS.map((h) => (
            <th key={h} className="px-2 py-1.5 font-semibold">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {users.map((user) => (
          <UserLine
            key={user.id}
            user={user}
            selected={selectedId === user.id}
            onSelect={() => onSelect(user.id)}
          />
        ))}
      </tbody>
    </table>
  );
}
