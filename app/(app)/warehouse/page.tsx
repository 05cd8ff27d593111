import type { Metadata } from 'next';
import { CountLine, countOf } from '@/components/shipments/status-counts';
import { WorkspaceLanding } from '@/components/shell/workspace-landing';
import { Panel } from '@/components/ui/panel';
import { serverApi } from '@/server/api/server-caller';
import { requireRole } from '@/server/auth/guards';

export const metadata: Metadata = { title: 'Warehouse' };

export default async function WarehousePage() {
  await requireRole('WAREHOUSE_SUPERVISOR');
  const { counts } = await (await serverApi()).shipments.statusCounts();

  return (
    <WorkspaceLanding title="Warehouse" counts={counts}>
      <Panel title="Staged shipments">
        <CountLine n={countOf(counts, 'STAGED')} label="packed and staged, awaiting the gate" />
      </Panel>
      <Panel title="Held shipments">
        <CountLine n={countOf(counts, 'HELD')} label="held by the readiness gate" />
      </Panel>
      <Panel
        title="Open exceptions"
        empty="The exception queue arrives with the exceptions work."
      />
    </WorkspaceLanding>
  );
}
