'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { ShipmentLink } from '../shipments/shipment-detail';
import { useTRPC } from '../trpc/client';
import { formatInZone } from '../ui/format';
import { Panel } from '../ui/panel';
import { StatusBadge } from '../ui/status-badge';
import { ExceptionActions } from './exception-actions';
import { AuditTimeline, EscalationHistory } from './exception-history';
import { SlaCountdown } from './sla-countdown';
import type { DetailData } from './types';

const REFRESH_MS = 5_000;

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Facts({ data, zone, receivedAt }: { data: DetailData; zone: string; receivedAt: number }) {
  const e = data.exception;

  return (
    <Panel title={e.title}>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3" aria-label="Exception facts">
        <Field label="Type">
          <StatusBadge status={e.type} />
        </Field>
        <Field label="Severity">{e.severity}</Field>
        <Field label="Status">
          <span data-testid="exception-status">
            <StatusBadge status={e.status} />
          </span>
        </Field>
        <Field label="Site">{e.site?.code ?? '—'}</Field>
        <Field label="Team">{e.team?.name ?? e.ownerTeam}</Field>
        <Field label="Assignee">{e.assignee?.name ?? 'Unassigned'}</Field>
        <Field label="Opened">{formatInZone(e.openedAt, zone)}</Field>
        <Field label="Rework">{e.reworkCount}</Field>
        <Field label="SLA">
          <SlaCountdown clock={data.clock} receivedAt={receivedAt} timeZone={zone} />
        </Field>
        {e.resolutionCode ? (
          <Field label="Resolution">
            {e.resolutionCode}: {e.resolutionNote}
          </Field>
        ) : null}
      </dl>
    </Panel>
  );
}

// No override service for holds exists yet: the hold is shown here, and its release belongs to
// the shipment page and the gate (issue 4, item 5, approvals of a manual override).
function LinkedShipment({ data, zone }: { data: DetailData; zone: string }) {
  const s = data.exception.shipment;
  if (!s) return <Panel title="Shipment" empty="No shipment linked." />;

  return (
    <Panel title="Shipment" aside={<StatusBadge status={s.status} />}>
      <ShipmentLink shipmentRef={s.ref} />
      <ul className="mt-2 space-y-1 text-xs" aria-label="Holds">
        {s.holds.map((h) => (
          <li key={h.id}>
            <StatusBadge status={h.reason} /> {h.detail}{' '}
            <span className="text-slate-500">since {formatInZone(h.placedAt, zone)}</span>
          </li>
        ))}
        {s.holds.length === 0 ? <li className="text-slate-500">No open holds.</li> : null}
      </ul>
      {s.holds.length > 0 ? (
        <p className="mt-2 text-xs text-slate-600">
          A manual override of a hold needs an approval;{' '}
          <Link className="text-sky-700 hover:underline" href={`/shipments/${s.ref}`}>
            open the shipment
          </Link>{' '}
          to see what holds it.
        </p>
      ) : null}
    </Panel>
  );
}

export function ExceptionDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.exceptions.detail.queryOptions({ id }, { refetchInterval: REFRESH_MS, staleTime: 0 }),
  );
  if (query.isError) {
    return (
      <p role="alert" className="text-rose-700">
        {query.error.message}
      </p>
    );
  }
  const data = query.data;
  if (!data) return <p className="text-slate-500">Loading…</p>;
  const zone = data.exception.site?.timeZone ?? 'UTC';

  return (
    <div className="grid gap-4 lg:grid-cols-3">
      <div className="space-y-4 lg:col-span-2">
        <Facts data={data} zone={zone} receivedAt={query.dataUpdatedAt} />
        <AuditTimeline data={data} zone={zone} />
      </div>
      <div className="space-y-4">
        <ExceptionActions key={data.exception.status} exception={data.exception} />
        <LinkedShipment data={data} zone={zone} />
        <EscalationHistory data={data} zone={zone} />
      </div>
    </div>
  );
}
