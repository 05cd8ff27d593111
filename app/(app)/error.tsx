'use client';

export default function SignedInError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div
      role="alert"
      className="mx-auto max-w-md space-y-3 rounded-md border border-red-200 bg-white p-6"
    >
      <h1 className="text-lg font-semibold">Something went wrong</h1>
      <p className="text-slate-600">
        The page could not be loaded.{error.digest ? ` Reference ${error.digest}.` : ''}
      </p>
      <button
        type="button"
        onClick={reset}
        className="rounded border border-slate-300 px-3 py-1.5 hover:bg-slate-100"
      >
        Try again
      </button>
    </div>
  );
}
