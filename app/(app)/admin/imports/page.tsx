import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/server/auth/guards';
import { ImportsAdmin } from './imports-admin';

export const metadata: Metadata = { title: 'Uploads and imports' };

export default async function AdminImportsPage() {
  await requireRole('ADMIN');

  return (
    <>
      <PageHeader title="Uploads and imports" />
      <ImportsAdmin />
    </>
  );
}
