import type { Metadata } from 'next';
import { CountLine, countOf } from '@/components/shipments/status-counts';
import { WorkspaceLanding } from '@/components/shell/workspace-landing';
import { Panel } from '@/components/ui/panel';
import { serverApi } from '@/server/api/server-caller';
import { requireRole } from '@/server/auth/guards';

export const metadata: Metadata = { title: 'Executive' };

export default async function ExecutivePage() {
  await requireRole('EXECUTIVE');
  const { counts } = await (await serverApi()).shipments.statusCounts();

  return (
    <WorkspaceLanding title="Executive overview" counts={counts}>
      <Panel title="In flight">
        <CountLine n={countOf(counts, 'DEPARTED')} label="departed, not yet delivered" />
      </Panel>
      <Panel title="Readiness holds">
        <CountLine n={countOf(counts, 'HELD')} label="held at the gate" />
      </Panel>
      <Panel title="On-time dispatch" empty="KPIs arrive with the rollups." />
    </WorkspaceLanding>
  );
}
