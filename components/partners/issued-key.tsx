import type { IssuedKey } from './types';

/** A new key's secret: shown once, right after it was made, and never again. */
export function IssuedKeyNotice({ issued, note }: { issued: IssuedKey; note?: string }) {
  return (
    <div role="status" className="rounded border border-emerald-300 bg-emerald-50 p-3 text-sm">
      <p className="font-semibold text-emerald-900">
        Key {issued.prefix} created. Copy the secret now: it is not shown again.
      </p>
      <code data-testid="new-api-key" className="mt-1 block font-mono break-all select-all">
        {issued.key}
      </code>
      {note ? <p className="mt-1 text-emerald-900">{note}</p> : null}
    </div>
  );
}
