import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/server/auth/guards';
import { MappingsAdmin } from './mappings-admin';

export const metadata: Metadata = { title: 'Partner mappings' };

export default async function AdminMappingsPage() {
  await requireRole('ADMIN');

  return (
    <>
      <PageHeader title="Partner mappings" />
      <MappingsAdmin />
    </>
  );
}
