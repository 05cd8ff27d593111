'use client';

import { WORKSPACES } from '@/server/auth/workspaces';
import type { UserRow } from './types';

const roleLabel = (role: UserRow['role']) =>
  WORKSPACES.find((w) => w.role === role)?.roleLabel ?? role;

function when(value: Date | null): string {
  return value ? value.toISOString().slice(0, 16).replace('T', ' ') : 'never';
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
          {[
            'Name',
            'E-mail',
            'Role',
            'Level',
            'Team',
            'Sites',
            'Last sign-in (UTC)',
            'Status',
            '',
          ].map((h) => (
            <th key={h} className="px-2 py-1.5 font-semibold">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {users.map((user) => (
          <tr
            key={user.id}
            className={selectedId === user.id ? 'bg-sky-50' : user.active ? '' : 'text-slate-400'}
          >
            <td className="px-2 py-1 font-medium">{user.name}</td>
            <td className="px-2 py-1">{user.email}</td>
            <td className="px-2 py-1">{roleLabel(user.role)}</td>
            <td className="px-2 py-1">{user.level.replaceAll('_', ' ').toLowerCase()}</td>
            <td className="px-2 py-1">{user.team?.name ?? '—'}</td>
            <td className="px-2 py-1 font-mono text-xs">
              {user.allSites ? 'all' : user.sites.map((s) => s.code).join(', ') || '—'}
            </td>
            <td className="px-2 py-1 font-mono text-xs whitespace-nowrap">
              {when(user.lastLoginAt)}
            </td>
            <td className="px-2 py-1">{user.active ? 'active' : 'deactivated'}</td>
            <td className="px-2 py-1 text-right">
              <button
                type="button"
                onClick={() => onSelect(user.id)}
                className="text-sky-700 hover:underline"
                aria-label={`Edit ${user.email}`}
              >
                Edit
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
