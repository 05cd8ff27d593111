import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/server/auth/guards';
import { DeliveryLog } from '../_components/delivery-log';
import { initialFilter, type SearchParams } from '../_components/initial-filter';
import { WebhookTabs } from '../_components/webhook-tabs';

export const metadata: Metadata = { title: 'Webhook deliveries' };

export default async function DeliveriesPage({ searchParams }: { searchParams: SearchParams }) {
  await requireRole('ADMIN');

  return (
    <>
      <PageHeader title="Outbound webhooks" />
      <WebhookTabs current="/admin/webhooks/deliveries" />
      <DeliveryLog initial={initialFilter(await searchParams)} />
    </>
  );
}
