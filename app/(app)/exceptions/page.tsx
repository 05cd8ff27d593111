import type { Metadata } from 'next';
import { Workbench } from '@/components/exceptions/workbench';
import { PageHeader } from '@/components/ui/page-header';
import { requireUser } from '@/server/auth/guards';

export const metadata: Metadata = { title: 'Exceptions' };

export default async function ExceptionsPage() {
  await requireUser();

  return (
    <>
      <PageHeader title="Exceptions" />
      <Workbench />
    </>
  );
}
