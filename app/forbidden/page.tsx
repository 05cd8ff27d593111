import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Not your workspace' };

export default function ForbiddenPage() {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="max-w-md space-y-3 rounded-lg border border-slate-200 bg-white p-6">
        <p className="font-mono text-xs text-slate-500">403</p>
        <h1 className="text-lg font-semibold">This workspace belongs to another role</h1>
        <p className="text-slate-600">
          Your role cannot open this page. If your role was changed a moment ago, reload your own
          workspace.
        </p>
        <Link href="/" className="inline-block font-medium text-sky-700 hover:underline">
          Go to my workspace
        </Link>
      </div>
    </main>
  );
}
