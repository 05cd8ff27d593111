import type { Metadata } from 'next';
import { CountLine, countOf } from '@/components/shipments/status-counts';
import { WorkspaceLanding } from '@/components/shell/workspace-landing';
import { Panel } from '@/components/ui/panel';
import { serverApi } from '@/server/api/server-caller';
import { requireRole } from '@/server/auth/guards';

export const metadata: Metadata = { title: 'Billing' };

export default async function BillingPage() {
  await requireRole('BILLING_ANALYST');
  const { counts } = await (await serverApi()).shipments.statusCounts();

  return (
    <WorkspaceLanding title="Billing" counts={counts}>
      <Panel title="Awaiting invoice">
        <CountLine n={countOf(counts, 'POD_RECEIVED')} label="proof of delivery received" />
      </Panel>
      <Panel title="Invoice holds" empty="Invoice holds arrive with the billing work." />
      <Panel title="Credit blocks" empty="Credit blocks arrive with the billing work." />
    </WorkspaceLanding>
  );
}
