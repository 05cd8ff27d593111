import type { Metadata } from 'next';
import Link from 'next/link';
import { SessionRefresh } from '@/components/auth/session-refresh';
import { safeCallbackPath } from '@/components/auth/sign-in-messages';
import { getSessionUser } from '@/server/auth/session';
import { mayOpen } from '@/server/auth/workspaces';

export const metadata: Metadata = { title: 'Not your workspace' };

type SearchParams = Promise<{ from?: string | string[] }>;

export default async function ForbiddenPage({ searchParams }: { searchParams: SearchParams }) {
  const raw = (await searchParams).from;
  const from = safeCallbackPath(Array.isArray(raw) ? raw[0] : raw);
  const user = await getSessionUser();
  // The proxy judged by the cookie; if the current role may open the page, the cookie is stale.
  const stale = user !== null && from !== '/' && mayOpen(user.role, from);

  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="max-w-md space-y-3 rounded-lg border border-slate-200 bg-white p-6">
        {stale ? (
          <SessionRefresh to={from} />
        ) : (
          <>
            <p className="font-mono text-xs text-slate-500">403</p>
            <h1 className="text-lg font-semibold">This workspace belongs to another role</h1>
            <p className="text-slate-600">Your role cannot open this page.</p>
            <Link href="/" className="inline-block font-medium text-sky-700 hover:underline">
              Go to my workspace
            </Link>
          </>
        )}
      </div>
    </main>
  );
}
