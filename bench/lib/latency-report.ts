import type { Distribution } from './latency-measure';
import type { ApplyProfile } from './latency-profile';
import type { PhaseSample } from './latency-sampler';

// How the decision-latency bench prints: a table of latency distributions (decision beside the
// no-op baseline), the run's rates and what the machine did, the apply profile, then one JSON
// line with everything.

export interface LatencyRow {
  name: string;
  dist: Distribution;
  /** Items with no end by the end of the bounded wait: counted as slower than any. */
  undone?: number;
  /** The target p95, when the row is one the issue sets a target for. */
  targetP95?: number;
}

const ms = (n: number, digits = 1) =>
  n === Infinity
    ? 'never'
    : Number.isFinite(n)
      ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
      : '-';

const COLUMNS: [string, number, (r: LatencyRow) => string][] = [
  ['latency (ms)', -58, (r) => r.name],
  ['n', 6, (r) => String(r.dist.n)],
  ['p50', 8, (r) => ms(r.dist.p50)],
  ['p95', 8, (r) => ms(r.dist.p95)],
  ['p99', 8, (r) => ms(r.dist.p99)],
  ['max', 8, (r) => ms(r.dist.max)],
  ['mean', 8, (r) => ms(r.dist.mean)],
  ['not done', 8, (r) => String(r.undone ?? 0)],
  ['target p95', 10, (r) => (r.targetP95 === undefined ? '' : `<= ${r.targetP95}`)],
  ['met', 4, (r) => (r.targetP95 === undefined ? '' : r.dist.p95 <= r.targetP95 ? 'yes' : 'NO')],
];

function cells(values: string[]): string {
  return COLUMNS.map(([, width], i) =>
    width < 0 ? values[i]!.padEnd(-width) : values[i]!.padStart(width),
  ).join(' ');
}

export function latencyTable(rows: LatencyRow[]): string[] {
  return [
    cells(COLUMNS.map(([title]) => title)),
    ...rows.map((r) => cells(COLUMNS.map(([, , c]) => c(r)))),
  ];
}

const share = (n: number | null) => (n === null ? '-' : n.toFixed(2));

export function sampleLines(name: string, s: PhaseSample): string[] {
  const waits = Object.entries(s.backends)
    .sort((a, b) => b[1] - a[1])
    .map(([wait, n]) => `${wait} ${n.toFixed(2)}`)
    .join(', ');

  return [
    `${name}: CPU cores busy: bench process ${share(s.cpu.bench)}, postgres ${share(s.cpu.postgres)}, ` +
      `worker processes ${share(s.cpu.workerProcesses)}, whole machine ${share(s.cpu.machine)} of ${s.cpu.cores}`,
    `${name}: busy backends (mean over ${s.samples} samples): ${waits || 'none'}`,
    `${name}: bench process event loop late by p50 ${s.eventLoopDelayMs.p50} ms, ` +
      `p99 ${s.eventLoopDelayMs.p99} ms, max ${s.eventLoopDelayMs.max} ms`,
  ];
}

export function profileLines(p: ApplyProfile): string[] {
  const top = p.top
    .slice(0, 12)
    .map(
      (s) =>
        `  ${s.label.padEnd(44)} ${s.perApply.toFixed(1).padStart(5)} x ${ms(s.msPerApply, 2).padStart(6)} ms`,
    );

  return [
    `apply profile: ${p.applies} stage-triggered applies one at a time, no worker running`,
    `  wall per apply p50 ${ms(p.wallMs.p50)} ms, p95 ${ms(p.wallMs.p95)} ms, mean ${ms(p.wallMs.mean)} ms; ` +
      `${p.statementsPerApply.toFixed(1)} statements, ${ms(p.wireMsPerApply)} ms in statements (round trips, overlaps merged), ` +
      `${ms(p.appMsPerApply)} ms in Prisma + JS`,
    `  CPU per apply: this process ${ms(p.cpuMsPerApply.node)} ms (Prisma, domain code, pg), ` +
      `PostgreSQL ${p.cpuMsPerApply.postgres === null ? '-' : ms(p.cpuMsPerApply.postgres)} ms`,
    `  phases (mean ms): replay ${ms(p.phasesMs.replay)}, gate ${ms(p.phasesMs.gate)}, after the decision ${ms(p.phasesMs.after)}`,
    '  statements by round-trip time per apply (count x ms; parallel reads overlap):',
    ...top,
  ];
}

export function print(lines: string[], json: Record<string, unknown>): void {
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(
    `${JSON.stringify({ bench: 'decision-latency', at: new Date().toISOString(), ...json })}\n`,
  );
}
