import Link from 'next/link';
import { ShipmentStatus } from '@/server/db/generated/enums';
import { Panel } from '../ui/panel';

interface Props {
  counts: Partial<Record<ShipmentStatus, number>>;
}

export function StatusCounts({ counts }: Props) {
  const total = Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0);

  return (
    <Panel
      title="Shipments by status"
      aside={<span className="text-slate-500">{total} at your sites</span>}
    >
      <dl className="grid grid-cols-3 gap-2 sm:grid-cols-4 lg:grid-cols-6">
        {Object.values(ShipmentStatus).map((status) => (
          <div key={status} className="rounded border border-slate-100 bg-slate-50 px-2 py-1.5">
            <dt className="text-xs text-slate-500">{status.replaceAll('_', ' ')}</dt>
            <dd className="font-mono text-base font-semibold" data-status={status}>
              {counts[status] ?? 0}
            </dd>
          </div>
        ))}
      </dl>
    </Panel>
  );
}

export function countOf(counts: Props['counts'], ...statuses: ShipmentStatus[]): number {
  return statuses.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
}

export function CountLine({ n, label, href }: { n: number; label: string; href?: string }) {
  const body = (
    <>
      <span className="font-mono text-2xl font-semibold">{n}</span>{' '}
      <span className="text-slate-500">{label}</span>
    </>
  );

  return href ? <Link href={href}>{body}</Link> : <p>{body}</p>;
}
