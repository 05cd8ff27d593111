import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/api/root';
import type { DecimalLike } from '@/server/lib/money';
import { ShipmentLink } from '../shipments/shipment-detail';
import { formatInZone, formatQuantity, percentOfCapacity } from '../ui/format';
import { Panel } from '../ui/panel';
import { StatusBadge } from '../ui/status-badge';

type Trip = inferRouterOutputs<AppRouter>['dispatch']['board']['trips'][number];

function LoadBar({
  label,
  used,
  max,
  unit,
}: {
  label: string;
  used: DecimalLike;
  max: DecimalLike | null;
  unit: string;
}) {
  const percent = percentOfCapacity(used, max);
  const width = Math.min(100, percent ?? 0);

  return (
    <div className="text-xs">
      <div className="flex justify-between">
        <span className="text-slate-500">{label}</span>
        <span className="font-mono">
          {formatQuantity(used)} / {formatQuantity(max)} {unit}
          {percent === null ? '' : ` (${percent}%)`}
        </span>
      </div>
      <div className="h-1.5 rounded bg-slate-100">
        <div
          className={`h-1.5 rounded ${width >= 90 ? 'bg-amber-500' : 'bg-sky-600'}`}
          style={{ width: `${width}%` }}
        />
      </div>
    </div>
  );
}

function Bookings({ trip, zone }: { trip: Trip; zone: string }) {
  if (trip.bookings.length === 0) return <p className="text-slate-500">No bookings yet.</p>;

  return (
    <table className="w-full border-collapse text-sm">
      <tbody className="divide-y divide-slate-100">
        {trip.bookings.map((b) => (
          <tr key={b.id}>
            <td className="py-1 pr-2">
              <ShipmentLink shipmentRef={b.shipment.ref} />
            </td>
            <td className="py-1 pr-2">{b.shipment.customer.name}</td>
            <td className="py-1 pr-2 font-mono text-xs">{b.dockDoor.code}</td>
            <td className="py-1 pr-2 font-mono text-xs">{formatInZone(b.slotStart, zone)}</td>
            <td className="py-1 text-right font-mono text-xs">
              {formatQuantity(b.weightKg)} kg · {formatQuantity(b.volumeM3)} m³
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TripCard({ trip }: { trip: Trip }) {
  const route = trip.departure.route;
  const zone = route.site.timeZone;
  const title = `${route.code} · ${route.name}`;
  const aside = <StatusBadge status={trip.status} />;

  return (
    <Panel title={title} aside={aside}>
      <p className="mb-2 font-mono text-xs text-slate-600">
        {route.site.code} · departs {formatInZone(trip.departsAt, zone)} · cut-off{' '}
        {formatInZone(trip.cutoffAt, zone)}
      </p>
      <p className="mb-2 text-xs">
        Vehicle: {trip.vehicle ? `${trip.vehicle.code} (${trip.vehicle.kind})` : 'not yet assigned'}
      </p>
      <div className="mb-3 space-y-1.5">
        <LoadBar label="Weight" used={trip.load.weightKg} max={trip.load.maxWeightKg} unit="kg" />
        <LoadBar label="Volume" used={trip.load.volumeM3} max={trip.load.maxVolumeM3} unit="m³" />
      </div>
      <Bookings trip={trip} zone={zone} />
    </Panel>
  );
}

export function TripBoard({ trips }: { trips: Trip[] }) {
  if (trips.length === 0) {
    return <Panel title="Trips today and tomorrow" empty="No trips planned at your sites." />;
  }

  return (
    <section aria-label="Trips today and tomorrow" className="grid gap-4 md:grid-cols-2">
      {trips.map((trip) => (
        <TripCard key={trip.id} trip={trip} />
      ))}
    </section>
  );
}
