import {
  distribution,
  latencies,
  p95BySecond,
  throughput,
  undone,
  type DecisionRow,
  type Pair,
} from './latency-measure';
import type { PaceResult } from './latency-pace';
import type { LatencyRow } from './latency-report';
import type { PhaseSample } from './latency-sampler';

// What the decision-latency bench makes of its two timed phases: the latency rows (the stage
// rows against the target, the no-op baseline beside them) and the run's rates.

const TARGET_P95_MS = 25;

export interface Baseline {
  pace: PaceResult;
  fromCreated: Pair[];
  fromSeen: Pair[];
  sample: PhaseSample;
}

export interface Staged {
  pace: PaceResult;
  rows: DecisionRow[];
  seenAt: Map<string, number>;
  intakeMs: number[];
  sample: PhaseSample;
  waitedMs: number;
}

function row(name: string, pairs: Pair[], targetP95?: number): LatencyRow {
  return { name, dist: latencies(pairs), undone: undone(pairs), targetP95 };
}

export function stageRows(s: Staged, commit: boolean): { rows: LatencyRow[]; pairs: Pair[] } {
  const received = (to: 'decided' | 'committed') =>
    s.rows.map((r) => ({ from: r.received, to: r[to] }));
  const seen = s.rows.map((r) => ({
    from: s.seenAt.get(r.eventId)!,
    to: commit ? r.committed : r.decided,
  }));
  const rows = [row('stage received_at -> decided_at', received('decided'), TARGET_P95_MS)];
  if (commit) {
    rows.push(row('stage received_at -> decision committed', received('committed'), TARGET_P95_MS));
  }
  rows.push(row(`stage commit seen -> decision ${commit ? 'committed' : 'decided_at'}`, seen));

  return { rows, pairs: commit ? received('committed') : received('decided') };
}

export function baselineRows(b: Baseline): LatencyRow[] {
  return [
    row('baseline no-op job created_at -> completed', b.fromCreated),
    row('baseline no-op job commit seen -> completed', b.fromSeen),
  ];
}

/**
 * CPU of the bench process, PostgreSQL and worker processes per decision made in the stage
 * phase (intake, apply and gate, the branch jobs that ran), and per no-op job: robust where
 * wall-clock figures are not, on a machine whose cores other work shares.
 */
function cpuPerItem(s: Staged, b: Baseline, pairs: Pair[]) {
  const decided = pairs.filter((p) => p.to !== null).length;
  const completed = b.fromCreated.filter((p) => p.to !== null).length;
  const perDecision = decided ? s.sample.ownCpuMs / decided : NaN;

  return {
    cpuMsPerDecision: perDecision,
    cpuMsPerNoopJob: completed ? b.sample.ownCpuMs / completed : NaN,
    decisionsPerSecondIfAllCoresWereOurs: (s.sample.cpu.cores * 1000) / perDecision,
  };
}

export function rates(offered: number, s: Staged, b: Baseline, pairs: Pair[]) {
  const total = s.rows.length;
  const outcomes: Record<string, number> = {};
  for (const r of s.rows) outcomes[r.outcome ?? 'none'] = (outcomes[r.outcome ?? 'none'] ?? 0) + 1;
  const gap = s.rows
    .filter((r) => r.committed !== null && r.decided !== null)
    .map((r) => r.committed! - r.decided!);

  return {
    offeredPerSecond: offered,
    achievedStagesPerSecond: (total * 1000) / s.pace.elapsedMs,
    decisionsPerSecond: throughput(pairs),
    achievedNoopPerSecond: (total * 1000) / b.pace.elapsedMs,
    noopCompletedPerSecond: throughput(b.fromCreated),
    intakeBatchMs: distribution(s.intakeMs),
    batches: s.pace.batches,
    senderStalls: s.pace.stalls,
    outcomes,
    decidedAtBeforeCommitMs: gap.length ? distribution(gap) : null,
    p95BySecondMs: p95BySecond(pairs).map((v) => Math.round(v * 10) / 10),
    waitAfterSendMs: s.waitedMs,
    ...cpuPerItem(s, b, pairs),
  };
}

export function rateLines(r: ReturnType<typeof rates>): string[] {
  const f = (n: number) => n.toFixed(0);
  const lines = [
    `stages: offered ${r.offeredPerSecond}/s, achieved ${f(r.achievedStagesPerSecond)}/s in ${r.batches} intake batches ` +
      `(recordEvents p50 ${r.intakeBatchMs.p50.toFixed(1)} ms, p95 ${r.intakeBatchMs.p95.toFixed(1)} ms; ` +
      `${r.senderStalls} stalls); decisions ${f(r.decisionsPerSecond)}/s; outcomes ${JSON.stringify(r.outcomes)}`,
    `CPU per decision ${r.cpuMsPerDecision.toFixed(1)} ms (intake, apply, branch jobs; bench + postgres + workers), ` +
      `per no-op job ${r.cpuMsPerNoopJob.toFixed(2)} ms; every core of this machine would make ` +
      `${f(r.decisionsPerSecondIfAllCoresWereOurs)} decisions/s`,
    `baseline: no-op jobs achieved ${f(r.achievedNoopPerSecond)}/s, completed ${f(r.noopCompletedPerSecond)}/s`,
    `p95 by second of the run (ms, received -> decision): ${r.p95BySecondMs.join(' ')}`,
  ];
  if (r.decidedAtBeforeCommitMs) {
    const g = r.decidedAtBeforeCommitMs;
    lines.push(
      `decided_at precedes the decision's commit by p50 ${g.p50.toFixed(1)} ms, p95 ${g.p95.toFixed(1)} ms`,
    );
  }

  return lines;
}
