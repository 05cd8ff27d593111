import { prevalidateBilling } from '../../server/domain/billing/prevalidate-billing';
import { slotShipment } from '../../server/domain/dispatch/slot-shipment';
import { publishShipmentRecord } from '../../server/domain/integration/publish-shipment-record';
import type { Db } from '../../server/db/client';
import { traceRuns, tracingDb, unionMs } from './latency-profile';

// The three branch jobs a READY decision starts, profiled like the apply: each run once per
// shipment, one at a time, under the statement tracer. They share the workers with the apply
// jobs, so their cost is part of what a decision waits behind.

export interface BranchProfile {
  task: string;
  runs: number;
  wallMs: number;
  statements: number;
  inStatementsMs: number;
}

const BRANCHES: [string, (db: Db, shipmentId: string) => Promise<unknown>][] = [
  ['slot_shipment', (db, id) => slotShipment(db, id)],
  ['prevalidate_billing', (db, id) => prevalidateBilling(db, id)],
  ['publish_shipment_record', (db, id) => publishShipmentRecord(db, id)],
];

export async function profileBranches(
  url: string,
  shipmentIds: string[],
): Promise<BranchProfile[]> {
  const { db, trace, pool } = tracingDb(url);
  try {
    const profiles: BranchProfile[] = [];
    for (const [task, run] of BRANCHES) {
      const runs = await traceRuns(
        trace,
        shipmentIds.map((id) => () => run(db, id)),
      );
      const mean = (f: (r: (typeof runs)[number]) => number) =>
        runs.reduce((sum, r) => sum + f(r), 0) / Math.max(1, runs.length);
      profiles.push({
        task,
        runs: runs.length,
        wallMs: mean((r) => r.wallMs),
        statements: mean((r) => r.statements.length),
        inStatementsMs: mean((r) => unionMs(r.statements)),
      });
    }

    return profiles;
  } finally {
    await db.$disconnect();
    await pool.end();
  }
}
