import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="flex min-h-[60vh] items-center justify-center p-6">
      <div className="max-w-md space-y-3 text-center">
        <p className="font-mono text-xs text-slate-500">404</p>
        <h1 className="text-lg font-semibold">Not found</h1>
        <p className="text-slate-600">Nothing here, or nothing at the sites you may see.</p>
        <Link href="/" className="font-medium text-sky-700 hover:underline">
          Go to my workspace
        </Link>
      </div>
    </main>
  );
}
