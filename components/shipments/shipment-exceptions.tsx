import { formatInZone } from '../ui/format';
import { Panel } from '../ui/panel';
import { StatusBadge } from '../ui/status-badge';
import type { Story } from './story-types';

const HEADINGS = ['Type', 'Owner', 'Status', 'What', 'Opened', 'Resolved'];
const CELL = 'px-2 py-1 align-top';

export function ShipmentExceptions({ story }: { story: Story }) {
  const zone = story.timeZone;
  if (story.exceptions.length === 0) {
    return <Panel title="Exceptions" empty="No exceptions on this shipment." />;
  }

  return (
    <Panel
      title="Exceptions"
      aside={<span className="text-slate-500">{story.exceptions.length}</span>}
    >
      <table className="w-full border-collapse">
        <thead className="text-left text-xs text-slate-500 uppercase">
          <tr>
            {HEADINGS.map((h) => (
              <th key={h} className="px-2 py-1 font-semibold">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {story.exceptions.map((e) => (
            <tr key={e.id} data-exception-type={e.type}>
              <td className={`${CELL} font-mono text-xs`}>{e.type.replaceAll('_', ' ')}</td>
              <td className={`${CELL} text-xs`}>{e.ownerTeam}</td>
              <td className={CELL}>
                <StatusBadge status={e.status} />
              </td>
              <td className={CELL}>
                {e.title}
                {e.resolutionCode ? (
                  <div className="text-xs text-slate-500">{e.resolutionCode}</div>
                ) : null}
              </td>
              <td className={`${CELL} font-mono text-xs whitespace-nowrap`}>
                {formatInZone(e.openedAt, zone)}
              </td>
              <td className={`${CELL} font-mono text-xs whitespace-nowrap`}>
                {formatInZone(e.resolvedAt, zone)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}
