import type { Metadata } from 'next';
import { ShipmentLink } from '@/components/shipments/shipment-detail';
import { PageHeader } from '@/components/ui/page-header';
import { StatusBadge } from '@/components/ui/status-badge';
import { formatUtc } from '@/components/ui/format';
import { serverApi } from '@/server/api/server-caller';

export const metadata: Metadata = { title: 'Search' };

type SearchParams = Promise<{ q?: string | string[] }>;

export default async function SearchPage({ searchParams }: { searchParams: SearchParams }) {
  const raw = (await searchParams).q;
  const q = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? '';
  const results =
    q.length >= 2 ? await (await serverApi()).shipments.search({ q: q.slice(0, 100) }) : null;

  return (
    <>
      <PageHeader title={q ? `Search: ${q}` : 'Search'} />
      {results === null && <p className="text-slate-500">Type at least two characters.</p>}
      {results?.length === 0 && (
        <p className="text-slate-500">No shipment at your sites matches.</p>
      )}
      {results && results.length > 0 && (
        <table className="w-full border-collapse overflow-hidden rounded-md border border-slate-200 bg-white">
          <thead className="bg-slate-100 text-left text-xs text-slate-600 uppercase">
            <tr>
              {[
                'Shipment',
                'Status',
                'Site',
                'Customer',
                'Order',
                'PO',
                'Tracking',
                'Updated (UTC)',
              ].map((h) => (
                <th key={h} className="px-2 py-1.5 font-semibold">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {results.map((s) => (
              <tr key={s.ref}>
                <td className="px-2 py-1">
                  <ShipmentLink shipmentRef={s.ref} />
                </td>
                <td className="px-2 py-1">
                  <StatusBadge status={s.status} />
                </td>
                <td className="px-2 py-1 font-mono">{s.site.code}</td>
                <td className="px-2 py-1">{s.customer.name}</td>
                <td className="px-2 py-1 font-mono">{s.order.ref}</td>
                <td className="px-2 py-1 font-mono">{s.order.poNumber ?? '—'}</td>
                <td className="px-2 py-1 font-mono">{s.trackingRef ?? '—'}</td>
                <td className="px-2 py-1 font-mono text-xs">{formatUtc(s.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
