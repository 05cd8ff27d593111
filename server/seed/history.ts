import type { RawDb } from './bulk-insert';
import { calibrateCredit, simulateBilling } from './history-billing';
import { DAY, type SimContext } from './history-context';
import { demandOf, planDays, releaseShipment, releaseTimes } from './history-orders';
import { simulateOrphans } from './history-orphans';
import { fuelWeeksOf } from './history-rating';
import { addExceptionRows } from './history-rows-exceptions';
import { addOperationRows, addTripRows } from './history-rows-operations';
import { addShipmentRows } from './history-rows-shipments';
import { simulateTransport } from './history-transport';
import { settleTrips, TripBook } from './history-trips';
import type { SimShipment } from './history-types';
import { simulateWarehouse } from './history-warehouse';
import { Rng } from './rng';
import { RowSet } from './rows';
import type { MasterData } from './types';

// The simulated history from master.historyStart to master.now, written set-based.

export interface HistoryOptions {
  /** Shipments released per full weekday over all sites; default: ~22,000 in the window. */
  shipmentsPerDay?: number;
  rng?: Rng;
  /** Milliseconds per part (simulate, rows, each table), filled in when given. */
  timings?: Record<string, number>;
}

export interface HistoryResult {
  counts: Record<string, number>;
  /** Codes of the customers left over their credit limit at `now`. */
  overCreditCustomers: string[];
}

function simulate(master: MasterData, rng: Rng, shipmentsPerDay?: number) {
  const now = master.now.getTime();
  const from = master.historyStart.getTime();
  const trips = new TripBook(master, from - DAY, now + 4 * DAY);
  const ctx: SimContext = {
    rng,
    now,
    master,
    trips,
    fuelWeeks: fuelWeeksOf(master),
    seq: { invoice: 0 },
  };
  const demand = demandOf(master);
  // Numbered in release order across sites, so that references read chronologically.
  const releases = planDays(master, shipmentsPerDay)
    .flatMap((plan) => releaseTimes(rng, plan, from, now).map((at) => ({ plan, at })))
    .sort((a, b) => a.at - b.at);
  const shipments: SimShipment[] = releases.map(({ plan, at }, n) => {
    const s = releaseShipment(ctx, demand, plan, at, n + 1);
    simulateWarehouse(ctx, s);

    return s;
  });
  settleTrips(trips, now, rng);
  for (const s of shipments) {
    simulateTransport(ctx, s);
    simulateBilling(ctx, s);
  }
  const orphans = simulateOrphans(ctx);
  const limits = calibrateCredit(rng, master.customers, shipments);

  return { ctx, trips, shipments, orphans, limits };
}

function buildRows(world: ReturnType<typeof simulate>, master: MasterData): RowSet {
  const { ctx, trips, shipments, orphans } = world;
  const rows = new RowSet();
  addTripRows(rows, trips, ctx.now);
  addShipmentRows(
    rows,
    { rng: ctx.rng, now: ctx.now, partners: master.partners },
    shipments,
    orphans,
  );
  addOperationRows(rows, shipments);
  addExceptionRows(ctx, rows, [
    ...shipments.flatMap((s) => s.exceptions),
    ...orphans.map((o) => o.exception),
  ]);

  return rows;
}

async function writeCreditLimits(db: RawDb, limits: Map<string, string>, now: Date): Promise<void> {
  const json = JSON.stringify([...limits].map(([id, limit]) => ({ id, credit_limit: limit })));
  await db.$executeRawUnsafe(
    `UPDATE customers c SET credit_limit = v.credit_limit, updated_at = $2::timestamptz
       FROM json_to_recordset($1::json) AS v(id uuid, credit_limit numeric)
      WHERE c.id = v.id`,
    json,
    now.toISOString(),
  );
}

function timed<T>(timings: Record<string, number> | undefined, part: string, fn: () => T): T {
  const started = performance.now();
  const result = fn();
  if (timings) timings[part] = Math.round(performance.now() - started);

  return result;
}

/**
 * Simulates and writes the history of the master data's world: orders and shipments through
 * every milestone, events, readiness decisions, holds, trips, bookings, charges, invoices,
 * payments and exceptions, with credit limits set so that only the slow payers are over.
 */
export async function seedHistory(
  db: RawDb,
  master: MasterData,
  opts: HistoryOptions = {},
): Promise<HistoryResult> {
  const rng = opts.rng ?? new Rng().fork(7);
  const world = timed(opts.timings, 'history: simulate', () =>
    simulate(master, rng, opts.shipmentsPerDay),
  );
  const rows = buildRows(world, master);
  const tableTimings: Record<string, number> = {};
  const counts = await rows.write(db, tableTimings);
  await writeCreditLimits(db, world.limits.limits, master.now);
  if (opts.timings) {
    for (const [table, ms] of Object.entries(tableTimings))
      opts.timings[`history: build and write ${table}`] = ms;
  }

  return { counts, overCreditCustomers: world.limits.over };
}
