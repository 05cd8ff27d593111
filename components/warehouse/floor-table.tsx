'use client';

import { ShipmentLink } from '../shipments/shipment-detail';
import { formatInZone } from '../ui/format';
import { StatusBadge } from '../ui/status-badge';
import type { FloorRow } from './floor-types';

const HEADINGS = ['Shipment', 'Customer', 'Status', 'Readiness', 'Holds', 'Staged', ''];
const CELL = 'px-2 py-1 align-top';

function HoldReasons({ holds }: { holds: FloorRow['holds'] }) {
  if (holds.length === 0) return <span className="text-slate-400">—</span>;

  return (
    <ul className="space-y-0.5">
      {holds.map((hold) => (
        <li key={hold.id} data-hold-reason={hold.reason}>
          <StatusBadge status={hold.reason} /> <span className="text-slate-700">{hold.detail}</span>
        </li>
      ))}
    </ul>
  );
}

interface LineProps {
  row: FloorRow;
  onRecord: (ref: string) => void;
}

function FloorLine({ row, onRecord }: LineProps) {
  return (
    <tr data-shipment={row.ref}>
      <td className={`${CELL} whitespace-nowrap`}>
        <ShipmentLink shipmentRef={row.ref} />
        <div className="font-mono text-[11px] text-slate-400">
          {row.site.code}
          {row.order.ref === row.ref ? '' : ` · ${row.order.ref}`}
        </div>
      </td>
      <td className={CELL}>{row.customer.name}</td>
      <td className={CELL}>
        <StatusBadge status={row.status} />
      </td>
      <td className={CELL}>
        <StatusBadge status={row.readiness} />
      </td>
      <td className={CELL}>
        <HoldReasons holds={row.holds} />
      </td>
      <td className={`${CELL} font-mono text-xs whitespace-nowrap`}>
        {formatInZone(row.packedStagedAt, row.site.timeZone)}
      </td>
      <td className={CELL}>
        <button
          type="button"
          onClick={() => onRecord(row.ref)}
          className="text-xs text-sky-700 hover:underline"
          aria-label={`Record by hand for ${row.ref}`}
        >
          Record
        </button>
      </td>
    </tr>
  );
}

export function FloorTable({
  rows,
  onRecord,
}: {
  rows: FloorRow[];
  onRecord: LineProps['onRecord'];
}) {
  if (rows.length === 0) return <p className="text-slate-500">No shipments on the floor today.</p>;

  return (
    <table className="w-full border-collapse">
      <thead className="bg-slate-100 text-left text-xs text-slate-600 uppercase">
        <tr>
          {HEADINGS.map((h, i) => (
            <th key={i} className="px-2 py-1.5 font-semibold">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((row) => (
          <FloorLine key={row.id} row={row} onRecord={onRecord} />
        ))}
      </tbody>
    </table>
  );
}
