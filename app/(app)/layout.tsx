import type { ReactNode } from 'react';
import { TopBar } from '@/components/shell/top-bar';
import { requireUser } from '@/server/auth/guards';

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();

  return (
    <>
      <TopBar user={user} />
      <main className="mx-auto max-w-7xl p-4">{children}</main>
    </>
  );
}
