import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/server/auth/guards';
import { ImportsAdmin } from '../../admin/imports/imports-admin';

export const metadata: Metadata = { title: 'Imports' };

// A supervisor imports CSV files into their own sites and follows their own imports.
export default async function WarehouseImportsPage() {
  await requireRole('WAREHOUSE_SUPERVISOR');

  return (
    <>
      <PageHeader title="Imports" />
      <ImportsAdmin csvOnly />
    </>
  );
}
