import type { ReactNode } from 'react';
import { StatusCounts } from '../shipments/status-counts';
import type { ShipmentStatus } from '@/server/db/generated/enums';
import { PageHeader } from '../ui/page-header';

interface Props {
  title: string;
  counts: Partial<Record<ShipmentStatus, number>>;
  /** The workspace's own panels, shown under the status counts. */
  children: ReactNode;
}

export function WorkspaceLanding({ title, counts, children }: Props) {
  return (
    <>
      <PageHeader title={title} />
      <div className="space-y-4">
        <StatusCounts counts={counts} />
        <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">{children}</div>
      </div>
    </>
  );
}
