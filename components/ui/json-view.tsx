// A decision's inputs are JSON written by the gate's checks: shown as nested label/value lists
// so that a person reads "credit limit 100000" rather than a brace-and-quote dump.

type Json = string | number | boolean | null | undefined | Json[] | { [key: string]: Json };

/** `creditLimit` as `credit limit`, `releasedUnpaid` as `released unpaid`. */
export function humanise(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
}

function isScalar(value: Json): boolean {
  return value === null || typeof value !== 'object';
}

function Scalar({ value }: { value: Json }) {
  if (value === null || value === undefined || value === '') {
    return <span className="text-slate-400">—</span>;
  }
  if (typeof value === 'boolean') return <span>{value ? 'yes' : 'no'}</span>;

  return <span className="font-mono text-xs break-all">{String(value)}</span>;
}

function JsonList({ items }: { items: Json[] }) {
  if (items.length === 0) return <span className="text-slate-400">none</span>;
  if (items.every(isScalar)) return <Scalar value={items.map(String).join(', ')} />;

  return (
    <ol className="space-y-1">
      {items.map((item, i) => (
        <li key={i} className="rounded border border-slate-100 p-1.5">
          <JsonView value={item} />
        </li>
      ))}
    </ol>
  );
}

export function JsonView({ value }: { value: unknown }) {
  const json = value as Json;
  if (Array.isArray(json)) return <JsonList items={json} />;
  if (isScalar(json)) return <Scalar value={json} />;
  const entries = Object.entries(json as Record<string, Json>);
  if (entries.length === 0) return <span className="text-slate-400">none</span>;

  return (
    <dl className="grid grid-cols-[minmax(8rem,auto)_1fr] gap-x-3 gap-y-0.5">
      {entries.map(([key, item]) => (
        <div key={key} className="contents">
          <dt className="text-slate-500">{humanise(key)}</dt>
          <dd>
            <JsonView value={item} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
