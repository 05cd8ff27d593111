import type { Metadata } from 'next';
import { InboxList } from '@/components/inbox/inbox-list';
import { PageHeader } from '@/components/ui/page-header';
import { requireUser } from '@/server/auth/guards';

export const metadata: Metadata = { title: 'Inbox' };

export default async function InboxPage() {
  await requireUser();

  return (
    <>
      <PageHeader title="Inbox" />
      <InboxList />
    </>
  );
}
