'use client';

import Link from 'next/link';
import { ShipmentLink } from '../shipments/shipment-detail';
import { formatInZone } from '../ui/format';
import { StatusBadge } from '../ui/status-badge';
import { SlaCountdown } from './sla-countdown';
import type { QueueData, QueueRow } from './types';

interface Props {
  data: QueueData;
  receivedAt: number;
  cursor: number;
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onCursor: (index: number) => void;
}

function Row(props: {
  row: QueueRow;
  receivedAt: number;
  active: boolean;
  checked: boolean;
  onToggle: () => void;
  onFocus: () => void;
}) {
  const { row: e, active } = props;

  return (
    <tr
      data-exception-id={e.id}
      data-exception-type={e.type}
      aria-selected={active}
      onClick={props.onFocus}
      className={`border-t border-slate-100 align-top ${active ? 'bg-sky-50 outline outline-1 outline-sky-300' : ''}`}
    >
      <td className="py-1.5 pr-2">
        <input
          type="checkbox"
          aria-label={`Select ${e.title}`}
          checked={props.checked}
          onChange={props.onToggle}
        />
      </td>
      <td className="pr-2">
        <Link href={`/exceptions/${e.id}`} className="text-sky-700 hover:underline">
          <StatusBadge status={e.type} />
        </Link>
        <div className="mt-0.5 max-w-xs text-xs text-slate-600">{e.title}</div>
      </td>
      <td className="pr-2 text-xs">{e.severity}</td>
      <td className="pr-2" data-status={e.status}>
        <StatusBadge status={e.status} />
        {e.escalationLevel > 0 ? (
          <div className="text-xs text-rose-700">Escalated L{e.escalationLevel}</div>
        ) : null}
      </td>
      <td className="pr-2">{e.shipment ? <ShipmentLink shipmentRef={e.shipment.ref} /> : '—'}</td>
      <td className="pr-2 font-mono text-xs">{e.site?.code ?? '—'}</td>
      <td className="pr-2 text-xs">{e.assignee?.name ?? 'Unassigned'}</td>
      <td className="pr-2 font-mono text-xs">
        {e.site ? formatInZone(e.openedAt, e.site.timeZone) : formatInZone(e.openedAt, 'UTC')}
      </td>
      <td>
        <SlaCountdown
          clock={e.clock}
          receivedAt={props.receivedAt}
          timeZone={e.site?.timeZone ?? 'UTC'}
        />
      </td>
    </tr>
  );
}

const HEADINGS = ['Type', 'Severity', 'Status', 'Shipment', 'Site', 'Assignee', 'Opened', 'SLA'];

export function QueueTable({ data, receivedAt, cursor, selected, onToggle, onCursor }: Props) {
  if (data.items.length === 0) return <p className="text-slate-500">Nothing in the queue.</p>;

  return (
    <table className="w-full text-left text-sm" aria-label="Exception queue">
      <thead className="text-xs text-slate-500">
        <tr>
          <th className="w-6" aria-label="Selected" />
          {HEADINGS.map((h) => (
            <th key={h} className="pb-1 pr-2 font-medium">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {data.items.map((row, i) => (
          <Row
            key={row.id}
            row={row}
            receivedAt={receivedAt}
            active={i === cursor}
            checked={selected.has(row.id)}
            onToggle={() => onToggle(row.id)}
            onFocus={() => onCursor(i)}
          />
        ))}
      </tbody>
    </table>
  );
}
