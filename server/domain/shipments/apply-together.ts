import type { Db } from '../../db/client';
import { inTransaction } from '../../db/transaction-sql';
import { logger } from '../../lib/logger';
import { planPreparedTrips, type DecidingTogether } from '../readiness/evaluate-readiness';
import {
  confirmed,
  creditConfirmation,
  CreditMovedError,
  lockCreditBooks,
  type CreditBounds,
} from '../readiness/credit-book';
import { prepareApply, writeTogether, type PreparedApply } from './apply-events';
import { readApplies } from './apply-state';
import { noWrites } from './apply-writes';

// The applies of a batch job's references made together, in one transaction (jobs/tasks.ts):
// each as applyShipmentEvents makes one (apply-events.ts), with their locks, reads, credit
// books and writes one statement each.

const log = logger('apply-together');

/**
 * The applies of several references in one transaction, for a batch of them: their references'
 * apply locks and their shipments' rows taken, each in one order, and the shipments read, in one
 * round trip each; each prepared (prepareApply); the new trips made; then each shipment decided
 * on its customer's credit book as the earlier ones left it (by customer, then reference), and
 * all their writes and branch jobs made in one statement. One transaction pays its BEGIN,
 * COMMIT, locks and reads once for all of them. The books are read without the customers'
 * credit locks and confirmed under them just before the commit (credit-book.ts), so that the
 * locks are held over the commit only; should a customer's exposure have moved past what its
 * decisions allow, the batch is made again with the books read under the locks. The answer is
 * the references left to apply one at a time: those that name no shipment yet (the order's
 * release creates it, or its events park as orphans), and those another transaction is
 * applying (their apply lock taken): the batch does not wait for one of them with every other
 * reference's lock held. Any other failure fails the whole transaction; the caller then
 * applies each reference by itself.
 */
export async function applyTogether(db: Db, refs: readonly string[]): Promise<string[]> {
  try {
    return await applyInOne(db, refs, 'confirm');
  } catch (error) {
    if (!(error instanceof CreditMovedError)) throw error;
    log.info(
      { customers: error.customerIds },
      'credit moved under the batch: applied again, locked',
    );

    return applyInOne(db, refs, 'locked');
  }
}

async function applyInOne(
  db: Db,
  refs: readonly string[],
  credit: 'confirm' | 'locked',
): Promise<string[]> {
  const sorted = [...new Set(refs)].sort();

  return inTransaction(
    db,
    async (tx) => {
      const read = await readApplies(tx, sorted, { wait: false, books: credit === 'confirm' });
      const reads = [...read.states.values()].sort(
        (a, b) =>
          compare(a.request.shipment.customerId, b.request.shipment.customerId) ||
          compare(a.request.shipment.ref, b.request.shipment.ref),
      );
      const applies: PreparedApply[] = [];
      for (const { request, state } of reads) applies.push(await prepareApply(tx, request, state));
      const gated = applies.filter((a) => a.readiness);
      await planPreparedTrips(
        tx,
        gated.map((a) => a.readiness!),
      );
      // Ungated applies first: what they write is in the exposure the decisions then read.
      const ungated = applies.filter((a) => !a.readiness);
      let together: DecidingTogether;
      if (credit === 'confirm') {
        together = deciding(read.books!, new Map());
        for (const apply of ungated) await apply.finish(together);
      } else {
        for (const apply of ungated) await apply.finish();
        together = deciding(await lockCreditBooks(tx, shipmentsOf(gated)));
      }
      for (const apply of gated) await apply.finish(together);
      // The branch jobs of every decision into READY, enqueued with the decisions' writes, and
      // the credit confirmation of their books made in the same statement.
      const confirm = together.bounds && creditConfirmation(together.books, together.bounds);
      confirmed(await writeTogether(tx, together.writes, together.jobs, confirm ?? null));
      for (const after of together.after) await after();
      log.debug({ refs: sorted.length, shipments: applies.length, credit }, 'applied together');

      return sorted.filter((ref) => !read.locked.has(ref));
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}

const deciding = (books: DecidingTogether['books'], bounds?: CreditBounds): DecidingTogether => ({
  books,
  ...(bounds ? { bounds } : {}),
  writes: noWrites(),
  after: [],
  jobs: [],
});

const shipmentsOf = (applies: readonly PreparedApply[]) => applies.map((a) => a.shipment);

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
