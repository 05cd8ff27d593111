'use client';

import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useState } from 'react';
import type { AppRouter } from '@/server/api/root';
import { ShipmentLink } from '../shipments/shipment-detail';
import { useTRPC } from '../trpc/client';
import { formatMoney, formatUtc } from '../ui/format';
import { Panel } from '../ui/panel';

// Carrier invoices as received (X12 210), newest first, filtered by match, carrier and a typed
// invoice number or reference. Unmatched invoices say why, so that someone can fix the reference.

type Invoice = inferRouterOutputs<AppRouter>['carrierInvoices']['list']['items'][number];
type Match = '' | 'MATCHED' | 'UNMATCHED';

const PAGE = 50;
const HEADINGS = ['Received', 'Carrier', 'Invoice', 'Invoice date', 'Shipment', 'Lines', 'Total'];
const CELL = 'px-2 py-1 align-top';
const INPUT = 'rounded border border-slate-300 px-2 py-1 text-sm';

function ShipmentCell({ invoice }: { invoice: Invoice }) {
  if (invoice.shipment) return <ShipmentLink shipmentRef={invoice.shipment.ref} />;

  return (
    <div>
      <span className="rounded bg-rose-100 px-1.5 py-0.5 text-xs font-semibold text-rose-900 uppercase">
        unmatched
      </span>
      <div className="mt-1 text-xs text-slate-600">{invoice.unmatchedReason}</div>
    </div>
  );
}

function Row({ invoice }: { invoice: Invoice }) {
  return (
    <tr data-invoice={invoice.invoiceNumber}>
      <td className={`${CELL} font-mono text-xs whitespace-nowrap`}>
        {formatUtc(invoice.receivedAt)}
      </td>
      <td className={CELL}>
        <span className="font-mono">{invoice.carrierScac}</span>
        <div className="text-xs text-slate-500">{invoice.carrier?.name ?? 'not one of ours'}</div>
      </td>
      <td className={`${CELL} font-mono`}>{invoice.invoiceNumber}</td>
      <td className={`${CELL} font-mono text-xs`}>
        {invoice.invoiceDate ? invoice.invoiceDate.toISOString().slice(0, 10) : '—'}
      </td>
      <td className={CELL}>
        <ShipmentCell invoice={invoice} />
      </td>
      <td className={CELL}>{invoice.chargeCount}</td>
      <td className={`${CELL} text-right font-mono whitespace-nowrap`}>
        {invoice.currency ? formatMoney(invoice.total, invoice.currency) : `${invoice.total} ?`}
        {invoice.warnings.map((w, i) => (
          <div key={i} className="text-xs text-amber-800" title={w.code}>
            {w.message}
          </div>
        ))}
      </td>
    </tr>
  );
}

export function CarrierInvoices() {
  const trpc = useTRPC();
  const [match, setMatch] = useState<Match>('');
  const [carrierScac, setCarrierScac] = useState('');
  const [search, setSearch] = useState('');
  const filter = {
    limit: PAGE,
    ...(match ? { match } : {}),
    ...(carrierScac.trim() ? { carrierScac: carrierScac.trim() } : {}),
    ...(search.trim() ? { search: search.trim() } : {}),
  };
  const query = useInfiniteQuery(
    trpc.carrierInvoices.list.infiniteQueryOptions(filter, {
      getNextPageParam: (last) => last.nextCursor ?? undefined,
      placeholderData: keepPreviousData,
    }),
  );
  const invoices = query.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Panel title="Carrier invoices" aside={<span className="text-slate-500">X12 210</span>}>
      <form
        aria-label="Filter carrier invoices"
        className="mb-3 flex flex-wrap items-end gap-3"
        onSubmit={(e) => e.preventDefault()}
      >
        <label className="flex flex-col text-xs text-slate-600">
          Match
          <select
            className={INPUT}
            value={match}
            onChange={(e) => setMatch(e.target.value as Match)}
          >
            <option value="">All</option>
            <option value="MATCHED">Linked to a shipment</option>
            <option value="UNMATCHED">Unmatched</option>
          </select>
        </label>
        <label className="flex flex-col text-xs text-slate-600">
          Carrier SCAC
          <input
            className={`${INPUT} w-24 font-mono uppercase`}
            value={carrierScac}
            maxLength={8}
            onChange={(e) => setCarrierScac(e.target.value)}
          />
        </label>
        <label className="flex flex-col text-xs text-slate-600">
          Invoice or reference
          <input
            className={`${INPUT} w-56`}
            value={search}
            maxLength={64}
            onChange={(e) => setSearch(e.target.value)}
          />
        </label>
      </form>
      {query.isError ? (
        <p role="alert" className="text-rose-700">
          {query.error.message}
        </p>
      ) : invoices.length === 0 ? (
        <p className="text-slate-500">
          {query.isPending ? 'Loading…' : 'No carrier invoice matches these filters.'}
        </p>
      ) : (
        <table className="w-full border-collapse text-sm">
          <thead className="text-left text-xs text-slate-500 uppercase">
            <tr>
              {HEADINGS.map((h) => (
                <th
                  key={h}
                  className={`${CELL} font-semibold ${h === 'Total' ? 'text-right' : ''}`}
                >
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {invoices.map((invoice) => (
              <Row key={invoice.id} invoice={invoice} />
            ))}
          </tbody>
        </table>
      )}
      {query.hasNextPage ? (
        <button
          type="button"
          className="mt-3 rounded border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-50"
          disabled={query.isFetchingNextPage}
          onClick={() => void query.fetchNextPage()}
        >
          {query.isFetchingNextPage ? 'Loading…' : `Show ${PAGE} more`}
        </button>
      ) : null}
    </Panel>
  );
}
