import { formatInZone } from '../ui/format';
import { Panel } from '../ui/panel';
import type { DetailData } from './types';

type Props = { data: DetailData; zone: string };

export function EscalationHistory({ data, zone }: Props) {
  const { escalations, breaches, escalationLevel } = data.exception;

  return (
    <Panel title="Escalation" aside={<span className="text-xs">Level {escalationLevel}</span>}>
      <ul className="space-y-1 text-xs" aria-label="Escalations">
        {escalations.map((x) => (
          <li key={x.id}>
            Level {x.level} (cycle {x.cycle}) fired {formatInZone(x.firedAt, zone)} to{' '}
            {x.recipientIds.length} people
          </li>
        ))}
        {escalations.length === 0 ? <li className="text-slate-500">Not escalated.</li> : null}
      </ul>
      <h3 className="mt-3 text-xs font-semibold text-slate-600">SLA breaches</h3>
      <ul className="space-y-1 text-xs" aria-label="Breaches">
        {breaches.map((b) => (
          <li key={b.id} className="text-rose-700">
            {b.kind.replaceAll('_', ' ')} due {formatInZone(b.dueAt, zone)}, recorded{' '}
            {formatInZone(b.recordedAt, zone)}
          </li>
        ))}
        {breaches.length === 0 ? <li className="text-slate-500">None.</li> : null}
      </ul>
    </Panel>
  );
}

function describe(data: unknown): string {
  if (!data || typeof data !== 'object') return '';

  return Object.entries(data as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}

export function AuditTimeline({ data, zone }: Props) {
  return (
    <Panel title="Audit timeline">
      <ol className="space-y-1.5 text-xs" aria-label="Audit timeline">
        {data.timeline.map((a) => (
          <li key={a.seq} data-action={a.action}>
            <span className="font-mono text-slate-500">{formatInZone(a.at, zone)}</span>{' '}
            <span className="font-medium">{a.action}</span>{' '}
            <span className="text-slate-600">by {a.actorName ?? a.actorType.toLowerCase()}</span>
            <div className="text-slate-500">{describe(a.data)}</div>
          </li>
        ))}
      </ol>
    </Panel>
  );
}
