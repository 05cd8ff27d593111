'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../trpc/client';
import { Panel } from '../ui/panel';
import { ChargeAdjustments } from './charge-adjustments';
import { HoldOverrides } from './hold-overrides';
import { RequestList } from './request-list';

// The shipment page's approvals: holds that can be overridden, every request on the shipment
// (a rejected one can be asked again), and for billing analysts its charges to adjust.

export function ShipmentApprovals({ shipmentRef, role }: { shipmentRef: string; role: string }) {
  const trpc = useTRPC();
  const requests = useQuery(
    trpc.approvals.forShipment.queryOptions({ ref: shipmentRef }, { refetchInterval: 10_000 }),
  );
  const asks = role !== 'EXECUTIVE';

  return (
    <div className="space-y-4">
      {asks ? <HoldOverrides target={{ ref: shipmentRef }} /> : null}
      {requests.data && requests.data.length > 0 ? (
        <Panel title="Approvals">
          <RequestList
            requests={requests.data}
            label="Approval requests of this shipment"
            canAskAgain={() => asks}
          />
        </Panel>
      ) : null}
      {role === 'BILLING_ANALYST' || role === 'ADMIN' || role === 'EXECUTIVE' ? (
        <ChargeAdjustments shipmentRef={shipmentRef} canAdjust={role === 'BILLING_ANALYST'} />
      ) : null}
    </div>
  );
}
