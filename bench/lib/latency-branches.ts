import { prevalidateBilling } from '../../server/domain/billing/prevalidate-billing';
import { slotShipment } from '../../server/domain/dispatch/slot-shipment';
import { deliverOutbox } from '../../server/domain/integration/deliver-outbox';
import { publishShipmentRecord } from '../../server/domain/integration/publish-shipment-record';
import type { Db } from '../../server/db/client';
import { traceRuns, tracingDb, unionMs, type TracedRun } from './latency-profile';
import { treeCpuMs } from './latency-sampler';

// The three branch jobs a READY decision starts, profiled like the apply: each run once per
// shipment, one at a time, under the statement tracer. They share the workers with the apply
// jobs, so their cost is part of what a decision waits behind. Each branch is printed with its
// wall time, its statements (count and time, overlaps merged), the CPU it cost this process and
// PostgreSQL per run, and its statements by label, so that a change to a branch shows where its
// statements and milliseconds went.

export interface BranchStatement {
  label: string;
  perRun: number;
  msPerRun: number;
}

export interface BranchProfile {
  task: string;
  runs: number;
  wallMs: number;
  statements: number;
  inStatementsMs: number;
  /** CPU per run: this process (Prisma, domain code, pg) and PostgreSQL's backends. */
  cpuMs: { node: number; postgres: number | null };
  /** What the runs ended in (booked, rated, queued...), counted. */
  outcomes: Record<string, number>;
  top: BranchStatement[];
}

type Branch = (db: Db, shipmentId: string) => Promise<unknown>;

const BRANCHES: [string, Branch][] = [
  ['slot_shipment', (db, id) => slotShipment(db, id)],
  ['prevalidate_billing', (db, id) => prevalidateBilling(db, id)],
  ['publish_shipment_record', (db, id) => publishShipmentRecord(db, id)],
];

function byLabel(runs: TracedRun[]): BranchStatement[] {
  const stats = new Map<string, { count: number; ms: number }>();
  for (const s of runs.flatMap((r) => r.statements)) {
    const stat = stats.get(s.label) ?? { count: 0, ms: 0 };
    stat.count += 1;
    stat.ms += s.endMs - s.startMs;
    stats.set(s.label, stat);
  }
  const n = Math.max(1, runs.length);

  return [...stats.entries()]
    .map(([label, s]) => ({ label, perRun: s.count / n, msPerRun: s.ms / n }))
    .sort((a, b) => b.msPerRun - a.msPerRun);
}

async function profileOne(
  db: Db,
  trace: Parameters<typeof traceRuns>[0],
  [task, run]: [string, Branch],
  shipmentIds: string[],
  postgresPid: number | undefined,
): Promise<BranchProfile> {
  const outcomes: Record<string, number> = {};
  const node0 = process.cpuUsage();
  const pg0 = postgresPid ? treeCpuMs(postgresPid) : null;
  const runs = await traceRuns(
    trace,
    shipmentIds.map((id) => async () => {
      const outcome = (await run(db, id)) as { status?: string } | undefined;
      const status = outcome?.status ?? '?';
      outcomes[status] = (outcomes[status] ?? 0) + 1;
    }),
  );
  const node = process.cpuUsage(node0);
  const pg1 = postgresPid ? treeCpuMs(postgresPid) : null;
  const n = Math.max(1, runs.length);
  const mean = (f: (r: TracedRun) => number) => runs.reduce((sum, r) => sum + f(r), 0) / n;

  return {
    task,
    runs: runs.length,
    wallMs: mean((r) => r.wallMs),
    statements: mean((r) => r.statements.length),
    inStatementsMs: mean((r) => unionMs(r.statements)),
    cpuMs: {
      node: (node.user + node.system) / 1000 / n,
      postgres: pg0 === null || pg1 === null ? null : (pg1 - pg0) / n,
    },
    outcomes,
    top: byLabel(runs),
  };
}

export async function profileBranches(
  url: string,
  shipmentIds: string[],
  postgresPid?: number,
): Promise<BranchProfile[]> {
  const { db, trace } = tracingDb(url);
  try {
    await db.$queryRaw`SELECT 1`; // warm-up: a connection and the client's first query plan
    const profiles: BranchProfile[] = [];
    for (const branch of BRANCHES) {
      profiles.push(await profileOne(db, trace, branch, shipmentIds, postgresPid));
    }
    // The ERP branch goes on in the outbox's dispatch of each message the publication wrote.
    const messages = await db.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM outbox_messages
      WHERE aggregate_id = ANY (${shipmentIds}::text[]) AND delivered_at IS NULL`;
    const dispatch: [string, Branch] = [OUTBOX_TASK, (d, id) => deliverOutbox(d, id)];
    profiles.push(
      await profileOne(
        db,
        trace,
        dispatch,
        messages.map((m) => m.id),
        postgresPid,
      ),
    );

    return profiles;
  } finally {
    await db.$disconnect();
  }
}

const OUTBOX_TASK = 'deliver_outbox';

const fixed = (n: number, digits = 1) => n.toFixed(digits);

export function branchLines(branches: BranchProfile[]): string[] {
  // The three a READY decision starts; the outbox's dispatch is printed, not counted in them.
  const three = branches.filter((b) => b.task !== OUTBOX_TASK);
  const total = (f: (b: BranchProfile) => number) => three.reduce((sum, b) => sum + f(b), 0);

  return [
    'branch jobs, one at a time on the same shipments (mean per run):',
    ...branches.flatMap((b) => [
      `  ${b.task.padEnd(24)} ${fixed(b.wallMs).padStart(6)} ms wall, ` +
        `${fixed(b.statements)} statements, ${fixed(b.inStatementsMs)} ms in statements, ` +
        `CPU ${fixed(b.cpuMs.node)} ms node + ${b.cpuMs.postgres === null ? '-' : fixed(b.cpuMs.postgres)} ms ` +
        `postgres (${b.runs} runs: ${Object.entries(b.outcomes)
          .map(([k, v]) => `${v} ${k}`)
          .join(', ')})`,
      ...b.top
        .slice(0, 10)
        .map(
          (s) =>
            `      ${s.label.padEnd(42)} ${fixed(s.perRun).padStart(5)} x ${fixed(s.msPerRun, 2).padStart(6)} ms`,
        ),
    ]),
    `  all three: ${fixed(total((b) => b.wallMs))} ms wall, ${fixed(total((b) => b.statements))} statements, ` +
      `CPU ${fixed(total((b) => b.cpuMs.node))} ms node + ` +
      `${fixed(total((b) => b.cpuMs.postgres ?? 0))} ms postgres per READY shipment`,
  ];
}
