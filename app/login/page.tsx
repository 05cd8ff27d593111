import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { connection } from 'next/server';
import { LoginForm } from '@/components/auth/login-form';
import { prisma } from '@/server/db/client';
import { DEMO_USERS } from '@/server/auth/demo-users';
import { isDemoWorld } from '@/server/auth/demo-world';
import { getSessionUser } from '@/server/auth/session';
import { workspaceOf } from '@/server/auth/workspaces';

export const metadata: Metadata = { title: 'Sign in' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function first(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  await connection();
  const user = await getSessionUser();
  if (user) redirect(workspaceOf(user.role).path);

  const params = await searchParams;
  const demoRoles = (await isDemoWorld(prisma))
    ? DEMO_USERS.map(({ role }) => ({ role, label: workspaceOf(role).roleLabel }))
    : [];

  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <h1 className="mb-1 text-lg font-semibold">Control Tower</h1>
        <p className="mb-6 text-slate-500">Sign in to your workspace</p>
        <LoginForm
          callbackUrl={first(params.callbackUrl)}
          initialError={first(params.error)}
          demoRoles={demoRoles}
        />
      </div>
    </main>
  );
}
