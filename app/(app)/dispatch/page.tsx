import type { Metadata } from 'next';
import { TripBoard } from '@/components/dispatch/trip-board';
import { ExceptionList } from '@/components/exceptions/exception-list';
import { StatusCounts } from '@/components/shipments/status-counts';
import { LiveRefresh } from '@/components/ui/live-refresh';
import { PageHeader } from '@/components/ui/page-header';
import { serverApi } from '@/server/api/server-caller';
import { requireRole } from '@/server/auth/guards';

export const metadata: Metadata = { title: 'Dispatch' };

export default async function DispatchPage() {
  await requireRole('DISPATCHER');
  const api = await serverApi();
  const [{ counts }, board] = await Promise.all([
    api.shipments.statusCounts(),
    api.dispatch.board(),
  ]);

  return (
    <>
      <PageHeader title="Dispatch" />
      <LiveRefresh everyMs={5_000} />
      <div className="space-y-4">
        <StatusCounts counts={counts} />
        <div className="grid gap-4 xl:grid-cols-3">
          <div className="xl:col-span-2">
            <TripBoard trips={board.trips} />
          </div>
          <ExceptionList title="Capacity and route exceptions" exceptions={board.exceptions} />
        </div>
      </div>
    </>
  );
}
