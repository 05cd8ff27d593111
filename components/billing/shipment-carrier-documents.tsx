import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/api/root';
import { formatInZone, formatMoney } from '../ui/format';
import { Panel } from '../ui/panel';
import { StatusBadge } from '../ui/status-badge';

// On the shipment page: what its carrier invoiced (210) and how it answered our tender (990).

type CarrierDocuments = inferRouterOutputs<AppRouter>['carrierInvoices']['ofShipment'];

export function ShipmentCarrierDocuments({
  documents,
  timeZone,
}: {
  documents: CarrierDocuments;
  timeZone: string;
}) {
  const { invoices, tenderResponses } = documents;
  if (invoices.length === 0 && tenderResponses.length === 0) {
    return <Panel title="Carrier documents" empty="No carrier invoice or tender answer yet." />;
  }

  return (
    <Panel title="Carrier documents">
      <div className="space-y-3 text-sm">
        {tenderResponses.map((r) => (
          <div key={r.id} data-tender-response={r.decision}>
            <StatusBadge status={`TENDER_${r.decision}`} />{' '}
            <span className="font-mono">{r.carrierScac}</span>{' '}
            <span className="text-xs text-slate-500">{formatInZone(r.receivedAt, timeZone)}</span>
            {r.reason ? <div className="text-xs text-slate-600">{r.reason}</div> : null}
          </div>
        ))}
        {invoices.map((invoice) => (
          <div key={invoice.id} data-carrier-invoice={invoice.invoiceNumber}>
            <div className="flex justify-between gap-2">
              <span>
                Invoice <span className="font-mono">{invoice.invoiceNumber}</span> from{' '}
                <span className="font-mono">{invoice.carrierScac}</span>
              </span>
              <span className="font-mono">
                {invoice.currency ? formatMoney(invoice.total, invoice.currency) : invoice.total}
              </span>
            </div>
            <ul className="mt-1 text-xs text-slate-600">
              {invoice.charges.map((c) => (
                <li key={c.position} className="flex justify-between gap-2">
                  <span>
                    <span className="font-mono">{c.code}</span> {c.description ?? ''}
                  </span>
                  <span className="font-mono">
                    {invoice.currency ? formatMoney(c.amount, invoice.currency) : c.amount}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
    </Panel>
  );
}
