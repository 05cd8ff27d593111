import Link from 'next/link';
import { Suspense } from 'react';
import { workspaceOf } from '@/server/auth/workspaces';
import type { SessionUser } from '@/server/domain/users/types';
import { InboxBell } from '../inbox/inbox-bell';
import { NavLinks } from './nav-links';
import { SearchBox } from './search-box';
import { SignOutButton } from './sign-out-button';

// Shared by every role: who may open an exception is decided per exception, not by workspace.
const SHARED_LINKS = [
  { href: '/exceptions', label: 'Exceptions' },
  { href: '/approvals', label: 'Approvals' },
  { href: '/docs/api', label: 'API' },
];

export function TopBar({ user }: { user: SessionUser }) {
  const workspace = workspaceOf(user.role);

  return (
    <header className="bg-slate-900 text-slate-100">
      <div className="mx-auto flex h-12 max-w-7xl items-center gap-4 px-4">
        <Link href={workspace.path} className="font-semibold tracking-tight text-white">
          Control Tower
        </Link>
        <NavLinks links={[...workspace.links, ...SHARED_LINKS]} />
        <div className="ml-auto flex items-center gap-3">
          <Suspense>
            <SearchBox />
          </Suspense>
          <InboxBell />
          <div className="text-right leading-tight" data-testid="current-user">
            <div className="font-medium">{user.name}</div>
            <div className="text-xs text-slate-400">{workspace.roleLabel}</div>
          </div>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
