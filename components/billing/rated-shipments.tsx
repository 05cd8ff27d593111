import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/api/root';
import { ShipmentLink } from '../shipments/shipment-detail';
import { formatInZone, formatMoney } from '../ui/format';
import { Panel } from '../ui/panel';
import { StatusBadge } from '../ui/status-badge';

type Rated = inferRouterOutputs<AppRouter>['billing']['board']['rated'][number];

const HEADINGS = ['Shipment', 'Customer', 'Status', 'Lines', 'Rated', 'Total'];
const CELL = 'px-2 py-1';

export function RatedShipments({ rated }: { rated: Rated[] }) {
  if (rated.length === 0) {
    return <Panel title="Pre-validated shipments" empty="No shipment rated yet." />;
  }

  return (
    <Panel
      title="Pre-validated shipments"
      aside={<span className="text-slate-500">latest {rated.length}</span>}
    >
      <table className="w-full border-collapse">
        <thead className="text-left text-xs text-slate-500 uppercase">
          <tr>
            {HEADINGS.map((h) => (
              <th key={h} className={`${CELL} font-semibold ${h === 'Total' ? 'text-right' : ''}`}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rated.map((r) => (
            <tr key={`${r.id}:${r.currency}`} data-shipment={r.ref}>
              <td className={CELL}>
                <ShipmentLink shipmentRef={r.ref} />
              </td>
              <td className={CELL}>{r.customer.name}</td>
              <td className={CELL}>
                <StatusBadge status={r.status} />
              </td>
              <td className={`${CELL} font-mono text-xs`}>{r.lines}</td>
              <td className={`${CELL} font-mono text-xs`}>
                {formatInZone(r.ratedAt, r.site.timeZone)}
              </td>
              <td className={`${CELL} text-right font-mono text-xs`}>
                {formatMoney(r.total, r.currency)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}
