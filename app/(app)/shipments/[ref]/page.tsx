import type { Metadata } from 'next';
import { TRPCError } from '@trpc/server';
import { notFound } from 'next/navigation';
import { ShipmentCarrierDocuments } from '@/components/billing/shipment-carrier-documents';
import { ShipmentApprovals } from '@/components/approvals/shipment-approvals';
import { DecisionRecord } from '@/components/shipments/decision-record';
import { ShipmentBranches } from '@/components/shipments/shipment-branches';
import {
  ShipmentFacts,
  ShipmentHolds,
  ShipmentMilestones,
} from '@/components/shipments/shipment-detail';
import { ShipmentExceptions } from '@/components/shipments/shipment-exceptions';
import { ShipmentTimeline } from '@/components/shipments/shipment-timeline';
import { LiveRefresh } from '@/components/ui/live-refresh';
import { PageHeader } from '@/components/ui/page-header';
import { serverApi } from '@/server/api/server-caller';
import { requireUser } from '@/server/auth/guards';

type Params = Promise<{ ref: string }>;

// Past these, nothing the jobs do changes the page any more.
const SETTLED = new Set(['POD_RECEIVED', 'INVOICED', 'CANCELLED']);

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: decodeURIComponent((await params).ref) };
}

async function load(ref: string) {
  const api = await serverApi();
  try {
    return await Promise.all([
      api.shipments.byRef({ ref }),
      api.shipments.story({ ref }),
      api.carrierInvoices.ofShipment({ ref }),
    ]);
  } catch (error) {
    if (error instanceof TRPCError && error.code === 'NOT_FOUND') notFound();
    throw error;
  }
}

export default async function ShipmentPage({ params }: { params: Params }) {
  const ref = decodeURIComponent((await params).ref);
  const user = await requireUser();
  const [shipment, story, carrierDocuments] = await load(ref);

  return (
    <>
      <PageHeader title={`Shipment ${shipment.ref}`} />
      {SETTLED.has(shipment.status) ? null : <LiveRefresh everyMs={3_000} />}
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <ShipmentFacts shipment={shipment} />
        </div>
        <ShipmentMilestones shipment={shipment} />
        <div className="lg:col-span-2">
          <DecisionRecord story={story} />
        </div>
        <ShipmentHolds shipment={shipment} />
        <div className="lg:col-span-3">
          <ShipmentApprovals shipmentRef={shipment.ref} role={user.role} />
        </div>
        <div className="lg:col-span-2">
          <ShipmentBranches story={story} />
        </div>
        <ShipmentCarrierDocuments documents={carrierDocuments} timeZone={shipment.site.timeZone} />
        <div className="lg:col-span-3">
          <ShipmentTimeline story={story} />
        </div>
        <div className="lg:col-span-3">
          <ShipmentExceptions story={story} />
        </div>
      </div>
    </>
  );
}
