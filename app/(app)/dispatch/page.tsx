import type { Metadata } from 'next';
import { CountLine, countOf } from '@/components/shipments/status-counts';
import { WorkspaceLanding } from '@/components/shell/workspace-landing';
import { Panel } from '@/components/ui/panel';
import { serverApi } from '@/server/api/server-caller';
import { requireRole } from '@/server/auth/guards';

export const metadata: Metadata = { title: 'Dispatch' };

export default async function DispatchPage() {
  await requireRole('DISPATCHER');
  const { counts } = await (await serverApi()).shipments.statusCounts();

  return (
    <WorkspaceLanding title="Dispatch" counts={counts}>
      <Panel title="Ready to slot">
        <CountLine n={countOf(counts, 'READY')} label="ready, not yet slotted" />
      </Panel>
      <Panel title="Loading and departures">
        <CountLine n={countOf(counts, 'SLOTTED', 'LOADED')} label="slotted or loaded" />
      </Panel>
      <Panel title="Dispatch slots" empty="The slot board arrives with the dispatch work." />
    </WorkspaceLanding>
  );
}
