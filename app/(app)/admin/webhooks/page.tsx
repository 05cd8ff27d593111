import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/server/auth/guards';
import { SubscriptionsAdmin } from './_components/subscriptions-admin';
import { WebhookTabs } from './_components/webhook-tabs';

export const metadata: Metadata = { title: 'Webhooks' };

export default async function WebhooksPage() {
  await requireRole('ADMIN');

  return (
    <>
      <PageHeader title="Outbound webhooks" />
      <WebhookTabs current="/admin/webhooks" />
      <SubscriptionsAdmin />
    </>
  );
}
