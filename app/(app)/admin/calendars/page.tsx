import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/server/auth/guards';
import { CalendarsAdmin } from './calendars-admin';

export const metadata: Metadata = { title: 'Business calendars' };

export default async function AdminCalendarsPage() {
  await requireRole('ADMIN');

  return (
    <>
      <PageHeader title="Business calendars" />
      <CalendarsAdmin />
    </>
  );
}
