'use client';

export function ShownOnce({ title, secret }: { title: string; secret: string }) {
  return (
    <div role="status" className="rounded border border-amber-300 bg-amber-50 p-2">
      <p>{title} Copy it to the receiver now: it is not shown again.</p>
      <code
        data-testid="signing-secret"
        className="mt-1 block font-mono text-sm break-all select-all"
      >
        {secret}
      </code>
    </div>
  );
}
