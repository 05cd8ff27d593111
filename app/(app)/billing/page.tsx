import type { Metadata } from 'next';
import { CarrierInvoices } from '@/components/billing/carrier-invoices';
import { RatedShipments } from '@/components/billing/rated-shipments';
import { ExceptionList } from '@/components/exceptions/exception-list';
import { StatusCounts } from '@/components/shipments/status-counts';
import { LiveRefresh } from '@/components/ui/live-refresh';
import { PageHeader } from '@/components/ui/page-header';
import { serverApi } from '@/server/api/server-caller';
import { requireRole } from '@/server/auth/guards';

export const metadata: Metadata = { title: 'Billing' };

export default async function BillingPage() {
  await requireRole('BILLING_ANALYST');
  const api = await serverApi();
  const [{ counts }, board] = await Promise.all([
    api.shipments.statusCounts(),
    api.billing.board(),
  ]);

  return (
    <>
      <PageHeader title="Billing" />
      <LiveRefresh everyMs={5_000} />
      <div className="space-y-4">
        <StatusCounts counts={counts} />
        <div className="grid gap-4 xl:grid-cols-3">
          <div className="xl:col-span-2">
            <RatedShipments rated={board.rated} />
          </div>
          <ExceptionList title="No-rate and credit exceptions" exceptions={board.exceptions} />
        </div>
        <CarrierInvoices />
      </div>
    </>
  );
}
