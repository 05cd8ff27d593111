import type { Metadata } from 'next';
import { TRPCError } from '@trpc/server';
import { notFound } from 'next/navigation';
import {
  ShipmentFacts,
  ShipmentHolds,
  ShipmentMilestones,
} from '@/components/shipments/shipment-detail';
import { PageHeader } from '@/components/ui/page-header';
import { serverApi } from '@/server/api/server-caller';

type Params = Promise<{ ref: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: decodeURIComponent((await params).ref) };
}

async function load(ref: string) {
  try {
    return await (await serverApi()).shipments.byRef({ ref });
  } catch (error) {
    if (error instanceof TRPCError && error.code === 'NOT_FOUND') notFound();
    throw error;
  }
}

export default async function ShipmentPage({ params }: { params: Params }) {
  const ref = decodeURIComponent((await params).ref);
  const shipment = await load(ref);

  return (
    <>
      <PageHeader title={`Shipment ${shipment.ref}`} />
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <ShipmentFacts shipment={shipment} />
        </div>
        <ShipmentMilestones shipment={shipment} />
        <div className="lg:col-span-3">
          <ShipmentHolds shipment={shipment} />
        </div>
      </div>
    </>
  );
}
