import { sum } from '@/server/lib/money';
import { formatInZone, formatMoney, formatQuantity } from '../ui/format';
import { Panel } from '../ui/panel';
import { StatusBadge } from '../ui/status-badge';
import type { Story } from './story-types';

// The three branches the gate starts when a shipment turns READY: dispatch's booking, billing's
// pre-validated charge lines, and the ERP shipment record in the outbox.

type Booking = Story['branches']['dispatch'][number];
type Charge = Story['branches']['billing']['charges'][number];

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="contents">
      <dt className="text-slate-500">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function BookingFacts({ booking, zone }: { booking: Booking; zone: string }) {
  const route = booking.trip.departure.route;

  return (
    <dl className="grid grid-cols-[7rem_1fr] gap-x-3 gap-y-1" data-booking-status={booking.status}>
      <Row label="Status">
        <StatusBadge status={booking.status} />
      </Row>
      <Row label="Route">{`${route.code} · ${route.name}`}</Row>
      <Row label="Departs">
        <span className="font-mono text-xs">{formatInZone(booking.trip.departsAt, zone)}</span>
      </Row>
      <Row label="Vehicle">{booking.vehicle.code}</Row>
      <Row label="Dock door">{booking.dockDoor.code}</Row>
      <Row label="Slot">
        <span className="font-mono text-xs">
          {formatInZone(booking.slotStart, zone)} – {formatInZone(booking.slotEnd, zone)}
        </span>
      </Row>
      <Row label="Load">
        {formatQuantity(booking.weightKg)} kg · {formatQuantity(booking.volumeM3)} m³
      </Row>
    </dl>
  );
}

function DispatchBranch({ story }: { story: Story }) {
  const bookings = story.branches.dispatch;
  const current = bookings.find((b) => b.status !== 'CANCELLED');
  const cancelled = bookings.length - (current ? 1 : 0);
  if (!current) {
    const note = cancelled ? `Not booked (${cancelled} cancelled).` : 'Not booked.';

    return <Panel title="Dispatch" empty={note} />;
  }

  return (
    <Panel
      title="Dispatch"
      aside={
        cancelled ? <span className="text-xs text-slate-500">{cancelled} cancelled</span> : null
      }
    >
      <BookingFacts booking={current} zone={story.timeZone} />
    </Panel>
  );
}

function ChargeLines({ charges }: { charges: Charge[] }) {
  const currency = charges[0]!.currency;

  return (
    <table className="w-full border-collapse">
      <tbody className="divide-y divide-slate-100">
        {charges.map((c) => (
          <tr key={c.id}>
            <td className="py-1 pr-2 text-xs text-slate-500">{c.kind.replaceAll('_', ' ')}</td>
            <td className="py-1 pr-2">{c.description}</td>
            <td className="py-1 text-right font-mono text-xs">
              {formatMoney(c.amount, c.currency)}
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr className="border-t border-slate-300 font-semibold">
          <td className="py-1" colSpan={2}>
            Total
          </td>
          <td className="py-1 text-right font-mono text-xs" data-testid="charge-total">
            {formatMoney(sum(charges.map((c) => c.amount)), currency)}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}

function BillingBranch({ story }: { story: Story }) {
  const { charges, voided } = story.branches.billing;
  const aside = voided ? <span className="text-xs text-slate-500">{voided} voided</span> : null;
  if (charges.length === 0) return <Panel title="Billing" empty="Not rated yet." />;

  return (
    <Panel title="Billing" aside={aside}>
      <ChargeLines charges={charges} />
    </Panel>
  );
}

function ErpBranch({ story }: { story: Story }) {
  const messages = story.branches.erp;
  if (messages.length === 0)
    return <Panel title="ERP record" empty="Nothing sent to the ERP yet." />;

  return (
    <Panel title="ERP record">
      <ul className="divide-y divide-slate-100">
        {messages.map((m) => (
          <li key={m.id} className="py-1" data-delivered={m.deliveredAt ? 'yes' : 'no'}>
            <div className="flex justify-between gap-2">
              <span className="font-mono text-xs">{m.topic}</span>
              <StatusBadge status={m.deliveredAt ? 'DELIVERED' : 'PENDING'} />
            </div>
            <div className="text-xs text-slate-500">
              {m.deliveredAt
                ? `delivered ${formatInZone(m.deliveredAt, story.timeZone)}`
                : `written ${formatInZone(m.createdAt, story.timeZone)}, ${m.attempts} attempt(s)`}
              {m.lastError ? ` · ${m.lastError}` : ''}
            </div>
          </li>
        ))}
      </ul>
    </Panel>
  );
}

export function ShipmentBranches({ story }: { story: Story }) {
  return (
    <div className="grid gap-4 md:grid-cols-3">
      <DispatchBranch story={story} />
      <BillingBranch story={story} />
      <ErpBranch story={story} />
    </div>
  );
}
