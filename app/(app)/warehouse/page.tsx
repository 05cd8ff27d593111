import type { Metadata } from 'next';
import { StatusCounts } from '@/components/shipments/status-counts';
import { PageHeader } from '@/components/ui/page-header';
import { WarehouseFloor } from '@/components/warehouse/warehouse-floor';
import { serverApi } from '@/server/api/server-caller';
import { requireRole } from '@/server/auth/guards';

export const metadata: Metadata = { title: 'Warehouse' };

export default async function WarehousePage() {
  await requireRole('WAREHOUSE_SUPERVISOR');
  const { counts } = await (await serverApi()).shipments.statusCounts();

  return (
    <>
      <PageHeader title="Warehouse" />
      <div className="space-y-4">
        <WarehouseFloor />
        <StatusCounts counts={counts} />
      </div>
    </>
  );
}
