import { formatInZone } from '../ui/format';
import { Panel } from '../ui/panel';
import type { Story, StoryEvent } from './story-types';

// Every event of the shipment in event-time order, as the replay applied them. A late event
// is kept and shown but moved no milestone back; a voided one was withdrawn by the sender; an
// orphaned one waits for its order.

const MARKS: Record<StoryEvent['disposition'], { label: string; tone: string } | null> = {
  APPLIED: null,
  LATE: { label: 'late', tone: 'bg-amber-100 text-amber-900' },
  VOIDED: { label: 'voided', tone: 'bg-slate-200 text-slate-600' },
  ORPHANED: { label: 'orphaned', tone: 'bg-rose-100 text-rose-900' },
};

const HEADINGS = ['Occurred', 'Received', 'Event', 'From', ''];
const CELL = 'px-2 py-1 align-top';

function Mark({ disposition }: { disposition: StoryEvent['disposition'] }) {
  const mark = MARKS[disposition];
  if (!mark) return null;

  return (
    <span className={`rounded px-1.5 py-0.5 text-xs font-semibold uppercase ${mark.tone}`}>
      {mark.label}
    </span>
  );
}

type ReturnedLines = Story['returnedLines'][string];

function EventLine({
  event,
  zone,
  returned,
}: {
  event: StoryEvent;
  zone: string;
  returned?: ReturnedLines;
}) {
  const voided = event.disposition === 'VOIDED';

  return (
    <tr data-event-type={event.type} data-disposition={event.disposition}>
      <td className={`${CELL} font-mono text-xs whitespace-nowrap`}>
        {formatInZone(event.occurredAt, zone)}
      </td>
      <td className={`${CELL} font-mono text-xs whitespace-nowrap text-slate-500`}>
        {formatInZone(event.receivedAt, zone)}
      </td>
      <td className={`${CELL} font-mono text-xs ${voided ? 'line-through' : ''}`}>
        {event.type.replaceAll('_', ' ')}
        <div className="text-[11px] break-all text-slate-400">{event.eventId}</div>
        {returned?.map((line, i) => (
          <div key={i} className="text-[11px] text-slate-600" data-returned-sku={line.skuCode}>
            {line.skuCode} × {line.quantity} {line.uom}
            {line.lot ? ` · lot ${line.lot}` : ''}
          </div>
        ))}
      </td>
      <td className={`${CELL} text-xs`}>
        {event.source}
        {event.partner ? ` · ${event.partner.code}` : ''}
      </td>
      <td className={CELL}>
        <Mark disposition={event.disposition} />
      </td>
    </tr>
  );
}

export function ShipmentTimeline({ story }: { story: Story }) {
  if (story.events.length === 0) return <Panel title="Timeline" empty="No events recorded." />;

  return (
    <Panel
      title="Timeline"
      aside={<span className="text-xs text-slate-500">{story.timeZone}</span>}
    >
      <table className="w-full border-collapse">
        <thead className="text-left text-xs text-slate-500 uppercase">
          <tr>
            {HEADINGS.map((h, i) => (
              <th key={i} className="px-2 py-1 font-semibold">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {story.events.map((event) => (
            <EventLine
              key={event.id}
              event={event}
              zone={story.timeZone}
              returned={story.returnedLines[event.id]}
            />
          ))}
        </tbody>
      </table>
    </Panel>
  );
}
