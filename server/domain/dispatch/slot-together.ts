import { randomUUID } from 'node:crypto';
import type { Db, Tx } from '../../db/client';
import { inTransaction } from '../../db/transaction-sql';
import { logger } from '../../lib/logger';
import { runKey } from './candidate-trips';
import type { PlannedDeparture } from './departures';
import {
  lockAndReadShipments,
  loadSitesCapacity,
  type SiteRuns,
  type SlottingShipmentRow,
} from './load-slotting-input';
import { capacityFor, takeCapacity, type SlottingCapacity } from './site-capacity';
import {
  bookedOutcome,
  capacityKey,
  chooseFor,
  reportNoCapacity,
  skipReason,
  slottingPlan,
  writeBookings,
  type Booking,
  type SlotOptions,
  type SlotOutcome,
  type SlottingPlan,
} from './slot-shipment';

// Dispatch slotting of several shipments in one transaction, for the items of a batch job
// (jobs/tasks.ts): each as slotShipment slots one (slot-shipment.ts), the way one run after
// another would, in far fewer statements. Every shipment's row, then every audit chain, then
// the active doors of every site involved are locked, each class in one order, and the
// shipments read (slotting_read_together); the capacity of every site is read once, for the
// union of its shipments' runs, the missing runs created (slotting_capacity_together); the
// shipments are then slotted one by one in a fixed order (staged first, then by id) by the
// same pure rules, each on the capacity as the bookings before it left it (site-capacity.ts),
// so that nothing is oversold; and every booking is written in one statement. A shipment left
// without room opens its CAPACITY exception as the single form does, by statements of its own
// (the rare path).
//
// Lock order, and why it cannot deadlock: shipment rows (FOR UPDATE, by id), then audit chains
// (by id), then dock doors (by site, then id), then runs (made by departure and date, locked
// by site, then id). The single form takes the same classes in the same order for one
// shipment and one site; the apply takes rows by id, then chains, then makes runs by departure
// and date, and takes no doors; billing takes its rows by id before its chains. A transaction
// waits only for a lock later in that order than every lock it holds, so no wait closes a cycle.

const log = logger('slot-together');

const TX_OPTIONS = { timeout: 60_000, maxWait: 30_000 };

const NO_CAPACITY_READ: SlottingCapacity = { trips: [], candidates: [], doors: [] };

interface ToSlot {
  id: string;
  shipment: SlottingShipmentRow;
  plan: SlottingPlan;
}

/**
 * Slots `shipmentIds` together: the outcome of each, by id, as slotShipment answers it.
 * Any failure fails them all (nothing is written); the caller then slots each by itself.
 */
export async function slotTogether(
  db: Db,
  shipmentIds: readonly string[],
  options: SlotOptions = {},
): Promise<Map<string, SlotOutcome>> {
  const ids = [...new Set(shipmentIds)];
  const outcomes = await inTransaction(db, (tx) => slotInOne(tx, ids, options), TX_OPTIONS);
  const booked = [...outcomes.values()].filter((o) => o.status === 'booked').length;
  log.info({ shipments: ids.length, booked }, 'slotting ran together');

  return outcomes;
}

async function slotInOne(tx: Tx, ids: readonly string[], options: SlotOptions) {
  const read = await lockAndReadShipments(tx, ids, capacityKey);
  const now = options.now ?? new Date();
  const outcomes = new Map<string, SlotOutcome>();
  const toSlot: ToSlot[] = [];
  for (const [i, id] of ids.entries()) {
    const shipment = read[i] ?? null;
    const skip = shipment ? skipReason(shipment) : 'NOT_FOUND';
    if (skip) outcomes.set(id, { status: 'skipped', reason: skip });
    else toSlot.push({ id, shipment: shipment!, plan: slottingPlan(shipment!, options, now) });
  }
  // The order one run after another would take: whoever was staged first books first.
  toSlot.sort(
    (a, b) =>
      a.plan.readyAt.getTime() - b.plan.readyAt.getTime() || compare(a.shipment.id, b.shipment.id),
  );
  const sites = await loadSitesCapacity(tx, sitesOf(toSlot));
  const bookings: Booking[] = [];
  for (const { id, shipment, plan } of toSlot) {
    const site = sites.get(shipment.siteId);
    const capacity = site && plan.runs.length ? capacityFor(site, plan.runs) : NO_CAPACITY_READ;
    const choice = chooseFor(shipment, plan, capacity);
    if (choice.ok) {
      takeCapacity(site!, choice, plan.measures);
      const booking = { bookingId: randomUUID(), shipment, measures: plan.measures, choice };
      bookings.push(booking);
      outcomes.set(id, bookedOutcome(booking));
    } else {
      const { trips } = capacity;
      outcomes.set(id, await reportNoCapacity(tx, shipment, trips, plan.measures, choice));
    }
  }
  if (bookings.length > 0) await writeBookings(tx, bookings, now);

  return outcomes;
}

/** Each site's runs (the union of its shipments', each once) and its earliest clock. */
function sitesOf(toSlot: readonly ToSlot[]): SiteRuns[] {
  const sites = new Map<string, { runs: Map<string, PlannedDeparture>; from: Date }>();
  for (const { shipment, plan } of toSlot) {
    if (plan.runs.length === 0) continue;
    const site = sites.get(shipment.siteId) ?? { runs: new Map(), from: plan.notBefore };
    for (const run of plan.runs) site.runs.set(runKey(run), run);
    if (plan.notBefore < site.from) site.from = plan.notBefore;
    sites.set(shipment.siteId, site);
  }

  return [...sites].map(([siteId, s]) => ({ siteId, runs: [...s.runs.values()], from: s.from }));
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
