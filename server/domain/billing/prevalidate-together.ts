import type { Db, Tx } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import { inTransaction, rawQuery } from '../../db/transaction-sql';
import { logger } from '../../lib/logger';
import { ACTIVE_STATUSES } from '../exceptions/status-machine';
import {
  billingLockKey,
  billingSkip,
  noRateKey,
  rate,
  reportNoRate,
  writeCharges,
  type BillingOutcome,
  type BillingShipment,
  type Rated,
} from './prevalidate-billing';

// Billing pre-validation of several shipments in one transaction, for the items of a batch job
// (jobs/tasks.ts): each as prevalidateBilling rates one (prevalidate-billing.ts), the locks and
// reads of all of them one round trip (billing_read_together), the rating of each in Node by
// the same pure functions, and the charges and audit rows of all of them one statement. A
// shipment that cannot be rated opens its NO_RATE exception as the single form does, by
// statements of its own (the rare path). Shipments are independent here: nothing one rating
// writes is read by another, so the outcomes are those of one run after another.
//
// Lock order: every run's own lock (by key), then the live charges it will void (by shipment,
// then id), then the shipments' rows (by id), then their audit chains (by id). A charge's own
// writers (an adjustment) go from the charge to its shipment, as this does; slotting and the
// apply take the rows (by id) before the chains too, and no run's lock or charge, so a wait
// never closes a cycle.

const log = logger('prevalidate-together');

const TX_OPTIONS = { timeout: 60_000, maxWait: 30_000 };

/**
 * Pre-validates the billing of `shipmentIds` together: the outcome of each, by id, as
 * prevalidateBilling answers it. Any failure fails them all (nothing is written); the caller
 * then runs each by itself.
 */
export async function prevalidateTogether(
  db: Db,
  shipmentIds: readonly string[],
  options: { now?: Date } = {},
): Promise<Map<string, BillingOutcome>> {
  const ids = [...new Set(shipmentIds)];
  const now = options.now ?? new Date();
  const outcomes = await inTransaction(db, (tx) => prevalidateInOne(tx, ids, now), TX_OPTIONS);
  const rated = [...outcomes.values()].filter((o) => o.status === 'rated').length;
  log.info({ shipments: ids.length, rated }, 'billing pre-validation ran together');

  return outcomes;
}

/**
 * The locks and reads of every shipment, in one round trip (billing_read_together, in the
 * migration 20261208020000_branches_together); in the order of `ids`, null where there is no
 * such shipment. Asynchronous commit, as in the single form.
 */
async function lockAndLoadAll(tx: Tx, ids: readonly string[]) {
  const [row] = await rawQuery<{ shipments: (BillingShipment | null)[] | null }>(
    tx,
    Prisma.sql`SELECT set_config('synchronous_commit', 'off', true) AS commit_mode,
      billing_read_together(${[...ids]}::text[], ${ids.map(billingLockKey)}::text[],
        ${ids.map(noRateKey)}::text[], ${[...ACTIVE_STATUSES]}::text[]) AS shipments`,
  );

  return row?.shipments ?? [];
}

async function prevalidateInOne(tx: Tx, ids: readonly string[], now: Date) {
  const shipments = await lockAndLoadAll(tx, ids);
  const outcomes = new Map<string, BillingOutcome>();
  const rated: { id: string; rated: Rated }[] = [];
  for (const [i, id] of ids.entries()) {
    const shipment = shipments[i] ?? null;
    const skip = billingSkip(shipment);
    if (skip) {
      outcomes.set(id, skip);
      continue;
    }
    const { context, result } = await rate(tx, shipment!);
    if (result.ok) rated.push({ id, rated: { shipment: shipment!, context, rating: result } });
    else outcomes.set(id, await reportNoRate(tx, shipment!, context, result, now));
  }
  if (rated.length > 0) {
    const written = await writeCharges(
      tx,
      rated.map((r) => r.rated),
      now,
    );
    for (const [i, { id }] of rated.entries()) outcomes.set(id, written[i]!);
  }

  return outcomes;
}
