import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/server/auth/guards';
import { DeadLetters } from '../_components/dead-letters';
import { initialFilter, type SearchParams } from '../_components/initial-filter';
import { WebhookTabs } from '../_components/webhook-tabs';

export const metadata: Metadata = { title: 'Webhook dead letters' };

export default async function DeadLettersPage({ searchParams }: { searchParams: SearchParams }) {
  await requireRole('ADMIN');

  return (
    <>
      <PageHeader title="Outbound webhooks" />
      <WebhookTabs current="/admin/webhooks/dead-letters" />
      <DeadLetters initial={initialFilter(await searchParams)} />
    </>
  );
}
