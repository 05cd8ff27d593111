import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/api/root';
import { formatUtc } from '../ui/format';
import { StatusBadge } from '../ui/status-badge';
import { ShipmentLink } from './shipment-detail';

type Result = inferRouterOutputs<AppRouter>['shipments']['search'][number];

const HEADINGS = [
  'Shipment',
  'Status',
  'Site',
  'Customer',
  'Order',
  'PO',
  'Tracking',
  'Updated (UTC)',
];
const CELL = 'px-2 py-1';

function ResultLine({ shipment: s }: { shipment: Result }) {
  return (
    <tr>
      <td className={CELL}>
        <ShipmentLink shipmentRef={s.ref} />
      </td>
      <td className={CELL}>
        <StatusBadge status={s.status} />
      </td>
      <td className={`${CELL} font-mono`}>{s.site.code}</td>
      <td className={CELL}>{s.customer.name}</td>
      <td className={`${CELL} font-mono`}>{s.order.ref}</td>
      <td className={`${CELL} font-mono`}>{s.order.poNumber ?? '—'}</td>
      <td className={`${CELL} font-mono`}>{s.trackingRef ?? '—'}</td>
      <td className={`${CELL} font-mono text-xs`}>{formatUtc(s.updatedAt)}</td>
    </tr>
  );
}

export function SearchResults({ results }: { results: Result[] }) {
  if (results.length === 0)
    return <p className="text-slate-500">No shipment at your sites matches.</p>;

  return (
    <table className="w-full border-collapse overflow-hidden rounded-md border border-slate-200 bg-white">
      <thead className="bg-slate-100 text-left text-xs text-slate-600 uppercase">
        <tr>
          {HEADINGS.map((h) => (
            <th key={h} className="px-2 py-1.5 font-semibold">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {results.map((s) => (
          <ResultLine key={s.ref} shipment={s} />
        ))}
      </tbody>
    </table>
  );
}
