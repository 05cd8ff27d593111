import type { Metadata } from 'next';
import { PendingApprovals } from '@/components/approvals/pending-approvals';
import { ApprovalRules } from '@/components/approvals/approval-rules';
import { MyRequests } from '@/components/approvals/my-requests';
import { PageHeader } from '@/components/ui/page-header';
import { requireUser } from '@/server/auth/guards';

export const metadata: Metadata = { title: 'Approvals' };

export default async function ApprovalsPage() {
  const user = await requireUser();

  return (
    <>
      <PageHeader title="Approvals" />
      <div className="space-y-4">
        <PendingApprovals />
        <MyRequests canAskAgain={user.role !== 'EXECUTIVE'} />
        {user.role === 'ADMIN' ? <ApprovalRules /> : null}
      </div>
    </>
  );
}
