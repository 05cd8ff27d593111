import type { Metadata } from 'next';
import { PartnersAdmin } from '@/components/partners/partners-admin';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/server/auth/guards';

export const metadata: Metadata = { title: 'Partners and API keys' };

export default async function AdminPartnersPage() {
  await requireRole('ADMIN');

  return (
    <>
      <PageHeader title="Partners and API keys" />
      <PartnersAdmin />
    </>
  );
}
