import { prevalidateBilling } from '../../server/domain/billing/prevalidate-billing';
import { prevalidateTogether } from '../../server/domain/billing/prevalidate-together';
import { slotShipment } from '../../server/domain/dispatch/slot-shipment';
import { slotTogether } from '../../server/domain/dispatch/slot-together';
import { deliverOutboxTogether } from '../../server/domain/integration/deliver-outbox';
import { publishShipmentRecord } from '../../server/domain/integration/publish-shipment-record';
import { publishTogether } from '../../server/domain/integration/publish-together';
import type { Db } from '../../server/db/client';
import { traceRuns, tracingDb, unionMs, type TracedRun } from './latency-profile';
import { treeCpuMs } from './latency-sampler';

// The three branch jobs a READY decision starts, profiled like the apply: each run once per
// shipment, one at a time, under the statement tracer. They share the workers with the apply
// jobs, so their cost is part of what a decision waits behind. Each branch is printed with its
// wall time, its statements (count and time, overlaps merged), the CPU it cost this process and
// PostgreSQL per run, and its statements by label, so that a change to a branch shows where its
// statements and milliseconds went. Then the same shipments' branches made together, as the
// worker makes a batch job's items (jobs/tasks.ts), in batches of TOGETHER_BATCH, after their
// bookings and charges are taken back so that each batch does the work the single runs did
// (the ERP records then differ by their booking, so each batch publishes them again): each
// branch's wall time, statements and CPU per shipment.

export interface BranchStatement {
  label: string;
  perRun: number;
  msPerRun: number;
}

export interface BranchProfile {
  task: string;
  /** Shipments per run: 1 one at a time, up to TOGETHER_BATCH together. */
  batch: number;
  runs: number;
  wallMs: number;
  statements: number;
  inStatementsMs: number;
  /** CPU per shipment: this process (Prisma, domain code, pg) and PostgreSQL's backends. */
  cpuMs: { node: number; postgres: number | null };
  /** What the runs ended in (booked, rated, queued...), counted. */
  outcomes: Record<string, number>;
  top: BranchStatement[];
}

/** A branch run on some shipments (one, or a batch made together): what each ended in. */
type Branch = (db: Db, ids: string[]) => Promise<string[]>;

const statuses = (outcomes: Map<string, { status: string }>) =>
  [...outcomes.values()].map((o) => o.status);

const ONE_AT_A_TIME: [string, Branch][] = [
  ['slot_shipment', async (db, [id]) => [(await slotShipment(db, id!)).status]],
  ['prevalidate_billing', async (db, [id]) => [(await prevalidateBilling(db, id!)).status]],
  ['publish_shipment_record', async (db, [id]) => [(await publishShipmentRecord(db, id!)).status]],
];

const TOGETHER: [string, Branch][] = [
  ['slot_shipment', async (db, ids) => statuses(await slotTogether(db, ids))],
  ['prevalidate_billing', async (db, ids) => statuses(await prevalidateTogether(db, ids))],
  ['publish_shipment_record', async (db, ids) => statuses(await publishTogether(db, ids))],
];

/** Shipments per batch made together (the worker takes up to 64 of a batch job's items). */
export const TOGETHER_BATCH = 16;

function byLabel(runs: TracedRun[], items: number): BranchStatement[] {
  const stats = new Map<string, { count: number; ms: number }>();
  for (const s of runs.flatMap((r) => r.statements)) {
    const stat = stats.get(s.label) ?? { count: 0, ms: 0 };
    stat.count += 1;
    stat.ms += s.endMs - s.startMs;
    stats.set(s.label, stat);
  }
  const n = Math.max(1, items);

  return [...stats.entries()]
    .map(([label, s]) => ({ label, perRun: s.count / n, msPerRun: s.ms / n }))
    .sort((a, b) => b.msPerRun - a.msPerRun);
}

/** Runs `branch` on `ids`, `batch` at a time, traced: its cost per shipment. */
async function profileBranch(
  db: Db,
  trace: Parameters<typeof traceRuns>[0],
  [task, branch]: [string, Branch],
  ids: string[],
  batch: number,
  postgresPid: number | undefined,
): Promise<BranchProfile> {
  const outcomes: Record<string, number> = {};
  const batches = Array.from({ length: Math.ceil(ids.length / batch) }, (_, i) =>
    ids.slice(i * batch, (i + 1) * batch),
  );
  const node0 = process.cpuUsage();
  const pg0 = postgresPid ? treeCpuMs(postgresPid) : null;
  const runs = await traceRuns(
    trace,
    batches.map((some) => async () => {
      for (const status of await branch(db, some)) outcomes[status] = (outcomes[status] ?? 0) + 1;
    }),
  );
  const node = process.cpuUsage(node0);
  const pg1 = postgresPid ? treeCpuMs(postgresPid) : null;
  const n = Math.max(1, ids.length);
  const perItem = (f: (r: TracedRun) => number) => runs.reduce((sum, r) => sum + f(r), 0) / n;

  return {
    task,
    batch,
    runs: runs.length,
    wallMs: perItem((r) => r.wallMs),
    statements: perItem((r) => r.statements.length),
    inStatementsMs: perItem((r) => unionMs(r.statements)),
    cpuMs: {
      node: (node.user + node.system) / 1000 / n,
      postgres: pg0 === null || pg1 === null ? null : (pg1 - pg0) / n,
    },
    outcomes,
    top: byLabel(runs, n),
  };
}

/**
 * The shipments' bookings (and the runs' vehicles they chose) and charges taken back, so that
 * their branches made again do the work the first runs did.
 */
async function takeBack(db: Db, shipmentIds: string[]) {
  await db.$executeRaw`DELETE FROM dispatch_bookings WHERE shipment_id = ANY (${shipmentIds}::uuid[])`;
  await db.$executeRaw`UPDATE trips t SET vehicle_id = NULL WHERE t.vehicle_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM dispatch_bookings b WHERE b.trip_id = t.id)`;
  await db.$executeRaw`UPDATE shipments SET slotted_at = NULL, status = 'READY'
    WHERE id = ANY (${shipmentIds}::uuid[]) AND status = 'SLOTTED'`;
  await db.$executeRaw`DELETE FROM charges WHERE shipment_id = ANY (${shipmentIds}::uuid[])`;
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
    for (const branch of ONE_AT_A_TIME) {
      profiles.push(await profileBranch(db, trace, branch, shipmentIds, 1, postgresPid));
    }
    // The ERP branch goes on in the outbox's dispatch of each message the publication wrote.
    const undelivered = async () =>
      (
        await db.$queryRaw<{ id: string }[]>`
          SELECT id::text FROM outbox_messages
          WHERE aggregate_id = ANY (${shipmentIds}::text[]) AND delivered_at IS NULL`
      ).map((m) => m.id);
    const written = await undelivered();
    await takeBack(db, shipmentIds);
    for (const branch of TOGETHER) {
      profiles.push(
        await profileBranch(db, trace, branch, shipmentIds, TOGETHER_BATCH, postgresPid),
      );
    }
    const before = new Set(written);
    const writtenTogether = (await undelivered()).filter((id) => !before.has(id));
    const dispatch: Branch = async (d, ids) => statuses(await deliverOutboxTogether(d, ids));
    profiles.push(await profileBranch(db, trace, [OUTBOX_TASK, dispatch], written, 1, postgresPid));
    profiles.push(
      await profileBranch(
        db,
        trace,
        [OUTBOX_TASK, dispatch],
        writtenTogether,
        TOGETHER_BATCH,
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

function profileLine(b: BranchProfile): string[] {
  return [
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
  ];
}

function allThree(branches: BranchProfile[]): string {
  const total = (f: (b: BranchProfile) => number) => branches.reduce((sum, b) => sum + f(b), 0);

  return (
    `  all three: ${fixed(total((b) => b.wallMs))} ms wall, ${fixed(total((b) => b.statements))} statements, ` +
    `CPU ${fixed(total((b) => b.cpuMs.node))} ms node + ` +
    `${fixed(total((b) => b.cpuMs.postgres ?? 0))} ms postgres per READY shipment`
  );
}

export function branchLines(branches: BranchProfile[]): string[] {
  // The three a READY decision starts; the outbox's dispatch is printed, not counted in them.
  const single = branches.filter((b) => b.batch === 1 && b.task !== OUTBOX_TASK);
  const together = branches.filter((b) => b.batch > 1 && b.task !== OUTBOX_TASK);
  const outbox = (batch: 'one' | 'many') =>
    branches.filter((b) => b.task === OUTBOX_TASK && b.batch > 1 === (batch === 'many'));

  return [
    'branch jobs, one at a time on the same shipments (mean per run):',
    ...[...single, ...outbox('one')].flatMap(profileLine),
    allThree(single),
    `branch jobs made together, batches of ${TOGETHER_BATCH} (mean per shipment):`,
    ...[...together, ...outbox('many')].flatMap(profileLine),
    allThree(together),
  ];
}
