import { formatInZone } from '../ui/format';
import { JsonView } from '../ui/json-view';
import { Panel } from '../ui/panel';
import { StatusBadge } from '../ui/status-badge';
import type { Story, StoryCheck, StoryDecision } from './story-types';

// The latest run of the readiness gate: every check with its verdict, its reason and the inputs
// it judged, so that a person can see why a shipment may leave or is held without asking.

type Details = StoryCheck['details'];

function LineDetails({ details }: { details: Details }) {
  if (!Array.isArray(details) || details.length === 0) return null;
  // The order line's id means nothing to a reader; the SKU code names the line.
  const lines = (details as Record<string, unknown>[]).map(({ orderLineId: _id, ...line }) => line);

  return (
    <div>
      <h4 className="mt-2 text-xs font-semibold text-slate-500 uppercase">Lines</h4>
      <JsonView value={lines} />
    </div>
  );
}

function CheckItem({ item }: { item: StoryCheck }) {
  const failed = item.verdict === 'FAIL';

  return (
    <li data-check={item.check} data-verdict={item.verdict}>
      <details className="rounded border border-slate-200" open={failed}>
        <summary className="flex cursor-pointer flex-wrap items-center gap-2 px-2 py-1.5">
          <span className="font-mono text-xs font-semibold">{item.check}</span>
          <span
            className={`rounded px-1.5 py-0.5 font-mono text-xs ${failed ? 'bg-amber-100 text-amber-900' : 'bg-emerald-100 text-emerald-900'}`}
          >
            {item.verdict}
          </span>
          <span className="text-slate-700">{item.reason}</span>
          <span className="ml-auto text-xs text-slate-500">owner: {item.ownerTeam}</span>
        </summary>
        <div className="border-t border-slate-100 p-2">
          <h4 className="text-xs font-semibold text-slate-500 uppercase">Inputs</h4>
          <JsonView value={item.inputs} />
          <LineDetails details={item.details} />
        </div>
      </details>
    </li>
  );
}

function Planned({ decision, zone }: { decision: StoryDecision; zone: string }) {
  const planned = decision.checks.plannedDeparture;
  const backorder = decision.checks.backorder;

  return (
    <dl className="mb-3 grid grid-cols-[10rem_1fr] gap-x-3 gap-y-1">
      <dt className="text-slate-500">Planned departure</dt>
      <dd className="font-mono text-xs">
        {planned
          ? `${formatInZone(new Date(planned.departsAt), zone)} (cut-off ${formatInZone(new Date(planned.cutoffAt), zone)})`
          : 'none'}
      </dd>
      <dt className="text-slate-500">Backorder</dt>
      <dd className="font-mono text-xs">
        {backorder.length === 0
          ? 'none'
          : backorder.map((b) => `${b.skuCode} ${b.quantity} ${b.uom}`).join(', ')}
      </dd>
    </dl>
  );
}

function DecisionHeader({
  decision,
  zone,
  earlier,
}: {
  decision: StoryDecision;
  zone: string;
  earlier: number;
}) {
  return (
    <span className="flex items-center gap-2 text-xs text-slate-500">
      <StatusBadge status={decision.outcome} />
      {formatInZone(decision.decidedAt, zone)} · {decision.trigger} · rules {decision.ruleVersion}
      {earlier > 0 ? ` · ${earlier} earlier` : ''}
    </span>
  );
}

export function DecisionRecord({ story }: { story: Story }) {
  const [latest, ...earlier] = story.decisions;
  if (!latest) {
    return <Panel title="Decision record" empty="The readiness gate has not run yet." />;
  }

  return (
    <Panel
      title="Decision record"
      aside={<DecisionHeader decision={latest} zone={story.timeZone} earlier={earlier.length} />}
    >
      <Planned decision={latest} zone={story.timeZone} />
      <ul className="space-y-1.5">
        {latest.checks.items.map((item) => (
          <CheckItem key={item.check} item={item} />
        ))}
      </ul>
    </Panel>
  );
}
