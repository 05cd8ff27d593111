import Link from 'next/link';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/api/root';
import { formatInZone } from '../ui/format';
import { Panel } from '../ui/panel';
import { StatusBadge } from '../ui/status-badge';

type Shipment = inferRouterOutputs<AppRouter>['shipments']['byRef'];

const MILESTONES = [
  ['releasedAt', 'Released'],
  ['pickedAt', 'Picked'],
  ['qcAt', 'QC'],
  ['packedStagedAt', 'Packed and staged'],
  ['readyAt', 'Ready'],
  ['heldAt', 'Held'],
  ['slottedAt', 'Slotted'],
  ['loadedAt', 'Loaded'],
  ['departedAt', 'Departed'],
  ['arrivedAt', 'Arrived'],
  ['deliveredAt', 'Delivered'],
  ['podReceivedAt', 'Proof of delivery'],
  ['invoicedAt', 'Invoiced'],
  ['cancelledAt', 'Cancelled'],
] as const;

function Facts({ rows }: { rows: [string, React.ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[10rem_1fr] gap-x-3 gap-y-1">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-slate-500">{label}</dt>
          <dd>{value ?? '—'}</dd>
        </div>
      ))}
    </dl>
  );
}

export function ShipmentFacts({ shipment }: { shipment: Shipment }) {
  return (
    <Panel title="Shipment">
      <Facts
        rows={[
          ['Status', <StatusBadge key="s" status={shipment.status} />],
          ['Readiness', <StatusBadge key="r" status={shipment.readiness} />],
          ['Site', `${shipment.site.code} · ${shipment.site.name}`],
          ['Customer', `${shipment.customer.code} · ${shipment.customer.name}`],
          [
            'Ship to',
            `${shipment.shipTo.name}, ${shipment.shipTo.city} ${shipment.shipTo.country}`,
          ],
          ['Order', shipment.order.ref],
          ['PO number', shipment.order.poNumber],
          ['Tracking ref', shipment.trackingRef],
          ['Handling units', shipment.handlingUnits],
          ['Weight (kg)', shipment.weightKg?.toString()],
          ['Volume (m³)', shipment.volumeM3?.toString()],
          ['Staged at dock', shipment.stagedDock],
          ['Dangerous goods', shipment.dangerousGoods ? 'Yes' : 'No'],
        ]}
      />
    </Panel>
  );
}

export function ShipmentMilestones({ shipment }: { shipment: Shipment }) {
  const zone = shipment.site.timeZone;
  const reached = MILESTONES.filter(([key]) => shipment[key]);

  return (
    <Panel title="Milestones" aside={<span className="text-xs text-slate-500">{zone}</span>}>
      <ol className="space-y-1">
        {reached.map(([key, label]) => (
          <li key={key} className="flex justify-between gap-3">
            <span>{label}</span>
            <time className="font-mono text-xs text-slate-600">
              {formatInZone(shipment[key], zone)}
            </time>
          </li>
        ))}
      </ol>
    </Panel>
  );
}

export function ShipmentHolds({ shipment }: { shipment: Shipment }) {
  const zone = shipment.site.timeZone;
  if (shipment.holds.length === 0)
    return <Panel title="Holds" empty="No holds on this shipment." />;

  return (
    <Panel title="Holds" aside={<span className="text-slate-500">{shipment.holds.length}</span>}>
      <ul className="divide-y divide-slate-100">
        {shipment.holds.map((hold) => (
          <li key={hold.id} className="py-1.5">
            <div className="flex items-center justify-between gap-2">
              <StatusBadge status={hold.reason} />
              <span className="text-xs text-slate-500">
                {hold.releasedAt ? `released ${formatInZone(hold.releasedAt, zone)}` : 'open'}
              </span>
            </div>
            <p className="mt-0.5 text-slate-700">{hold.detail}</p>
            <p className="text-xs text-slate-500">placed {formatInZone(hold.placedAt, zone)}</p>
          </li>
        ))}
      </ul>
    </Panel>
  );
}

export function ShipmentLink({ shipmentRef }: { shipmentRef: string }) {
  return (
    <Link
      href={`/shipments/${encodeURIComponent(shipmentRef)}`}
      className="font-mono text-sky-700 hover:underline"
    >
      {shipmentRef}
    </Link>
  );
}
