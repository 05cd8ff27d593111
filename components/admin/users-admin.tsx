'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../trpc/client';
import { Panel } from '../ui/panel';
import { CreateUserForm } from './create-user-form';
import { EditUserPanel } from './edit-user-panel';
import { UserTable } from './user-table';

export function UsersAdmin() {
  const trpc = useTRPC();
  const users = useQuery(trpc.users.list.queryOptions());
  const options = useQuery(trpc.users.formOptions.queryOptions());
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = users.data?.find((u) => u.id === selectedId);

  if (users.error || options.error) {
    return (
      <p role="alert" className="text-red-700">
        {(users.error ?? options.error)?.message}
      </p>
    );
  }
  if (!users.data || !options.data) return <p className="text-slate-500">Loading users…</p>;

  return (
    <div className="grid gap-4 xl:grid-cols-[1fr_22rem]">
      <Panel title="Users" aside={<span className="text-slate-500">{users.data.length}</span>}>
        <UserTable users={users.data} selectedId={selectedId} onSelect={setSelectedId} />
      </Panel>
      <div className="space-y-4">
        {selected && (
          <EditUserPanel
            key={selected.id}
            user={selected}
            options={options.data}
            onClose={() => setSelectedId(null)}
          />
        )}
        <Panel title="New user">
          <CreateUserForm options={options.data} />
        </Panel>
      </div>
    </div>
  );
}
