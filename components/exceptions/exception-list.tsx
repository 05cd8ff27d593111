import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/api/root';
import { ShipmentLink } from '../shipments/shipment-detail';
import { formatInZone } from '../ui/format';
import { Panel } from '../ui/panel';
import { StatusBadge } from '../ui/status-badge';

type OpenException = inferRouterOutputs<AppRouter>['dispatch']['board']['exceptions'][number];

function ExceptionLine({ exception: e }: { exception: OpenException }) {
  return (
    <li className="py-1.5" data-exception-type={e.type}>
      <div className="flex flex-wrap items-center gap-2">
        <StatusBadge status={e.type} />
        <span className="text-xs text-slate-500">
          {e.severity} · {e.status}
        </span>
        {e.shipment ? <ShipmentLink shipmentRef={e.shipment.ref} /> : null}
        <span className="ml-auto font-mono text-xs text-slate-500">
          {e.site ? `${e.site.code} · ${formatInZone(e.openedAt, e.site.timeZone)}` : ''}
        </span>
      </div>
      <p className="mt-0.5 text-slate-700">{e.title}</p>
    </li>
  );
}

export function ExceptionList({
  title,
  exceptions,
}: {
  title: string;
  exceptions: OpenException[];
}) {
  if (exceptions.length === 0) return <Panel title={title} empty="Nothing open." />;

  return (
    <Panel title={title} aside={<span className="text-slate-500">{exceptions.length} open</span>}>
      <ul className="divide-y divide-slate-100">
        {exceptions.map((e) => (
          <ExceptionLine key={e.id} exception={e} />
        ))}
      </ul>
    </Panel>
  );
}
