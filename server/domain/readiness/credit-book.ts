import type { Tx } from '../../db/client';
import { sql } from '../../db/generated/internal/prismaNamespace';
import { rawQuery } from '../../db/transaction-sql';
import { decimal, Decimal } from '../../lib/money';
import type { GateExposure } from './types';

// A customer's credit book: its exposure (released invoices not yet paid, plus goods that left
// or are READY and not yet invoiced) and, for each shipment being decided, its part in it. Two
// shipments of one customer must not both pass on the same headroom, so a customer's credit
// decisions are serialised by its credit lock (credit:<id>), held to the commit. Two ways to
// hold it: read the book under the lock and decide (lockCreditBooks: the decisions and their
// writes all wait for the lock, and hold it), or read it without the lock (credit_book, with
// the apply's other reads), decide, and confirm it under the lock in the statement that writes
// the decisions (creditConfirmation): the lock is held over that statement and the commit. The confirmation reads the exposure under the lock:
// what others changed meanwhile moved it, and each verdict made on the book bounds how far it
// may have moved with the verdict standing (creditMargin); past that, the caller rolls back and
// decides again with the lock. The decision records keep the figures they were decided on.

/**
 * A customer's exposure under its credit lock (released invoices not yet paid, plus goods that
 * left or are READY and not yet invoiced): two shipments of one customer must not both pass on
 * the same headroom. Read on a snapshot taken after the lock was granted, which is held until
 * the decisions commit. The whole running exposure and, for each shipment being decided, its
 * part in it now and its value (what its part is while it counts). Where several of the
 * customer's shipments are decided in one transaction, the caller keeps the book current
 * (bookDecision) as each decision is made, so that each is judged on the exposure as the
 * earlier ones left it, as one at a time under the lock would.
 */
export interface CreditBook {
  unpaid: Decimal;
  open: Decimal;
  parts: Map<string, { part: Decimal; value: Decimal }>;
  /** The exposure (unpaid and open) as read, before this transaction's decisions. */
  read: Decimal;
}

/** A book as the functions of the migrations answer it: numbers as text. */
export interface BookJson {
  unpaid: string;
  open: string;
  parts: { id: string; part: string; value: string }[];
}

/** Each customer with its shipments named, in the order of the customers' ids. */
function byCustomer(shipments: readonly { id: string; customerId: string }[]) {
  const ids = new Map<string, string[]>();
  for (const s of shipments) ids.set(s.customerId, [...(ids.get(s.customerId) ?? []), s.id]);

  return [...ids]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([customer, shipmentIds], n) => ({ n, customer, ids: shipmentIds }));
}

export function booksOf(rows: { customer: string; book: BookJson }[]): Map<string, CreditBook> {
  return new Map(
    rows.map(({ customer, book }) => [
      customer,
      {
        unpaid: decimal(book.unpaid),
        open: decimal(book.open),
        parts: new Map(
          book.parts.map((p) => [p.id, { part: decimal(p.part), value: decimal(p.value) }]),
        ),
        read: decimal(book.unpaid).plus(decimal(book.open)),
      },
    ]),
  );
}

/**
 * The credit locks of the customers of `shipments`, taken in the order of their ids and held to
 * the commit, and each one's book for its shipments named, in one statement.
 */
export async function lockCreditBooks(
  tx: Tx,
  shipments: readonly { id: string; customerId: string }[],
): Promise<Map<string, CreditBook>> {
  const asked = byCustomer(shipments);
  if (asked.length === 0) return new Map();
  const rows = await rawQuery<{ customer: string; book: BookJson }>(
    tx,
    sql`SELECT c.customer::text AS customer,
      credit_locked_book(c.customer, c.ids, 'credit:' || c.customer::text) AS book
    FROM json_to_recordset(${JSON.stringify(asked)}::json) AS c(n int, customer uuid, ids uuid[])
    ORDER BY c.n`,
  );

  return booksOf(rows);
}

export function bookOf(books: ReadonlyMap<string, CreditBook>, customerId: string): CreditBook {
  const book = books.get(customerId);
  if (!book) throw new Error(`customer ${customerId} has no credit book in this transaction`);

  return book;
}

/** The exposure one shipment of the book is judged on: everything but its own part. */
export function exposureInBook(
  book: CreditBook,
  shipmentId: string,
  currency: string,
  thisShipment: Decimal,
): GateExposure {
  return {
    currency,
    releasedUnpaid: book.unpaid,
    shippedOrReadyNotInvoiced: book.open.minus(book.parts.get(shipmentId)?.part ?? 0),
    thisShipment,
  };
}

/**
 * A decided shipment's part as its row will read once written: its value while it counts
 * (READY or left, not invoiced or cancelled; the rule of credit_shipment_part, in the
 * migrations), else nothing.
 */
export function bookDecision(book: CreditBook, shipmentId: string, counts: boolean): void {
  const entry = book.parts.get(shipmentId);
  if (!entry) throw new Error(`shipment ${shipmentId} is not in its customer's credit book`);
  const part = counts ? entry.value : decimal(0);
  book.open = book.open.plus(part).minus(entry.part);
  entry.part = part;
}

/**
 * How far each customer's exposure may have moved, by others' changes between the read of its
 * book and its lock, with every credit verdict made on the book standing (creditMargin): more
 * than `lo` and at most `hi`, each null while no verdict bounds it.
 */
export type CreditBounds = Map<string, { lo: Decimal | null; hi: Decimal | null }>;

/** A credit verdict on the customer's book bounds the move its confirmation accepts. */
export function boundCredit(
  bounds: CreditBounds,
  customerId: string,
  verdict: 'PASS' | 'FAIL',
  margin: Decimal | null,
): void {
  const b = bounds.get(customerId) ?? { lo: null, hi: null };
  if (margin !== null && verdict === 'PASS')
    b.hi = b.hi === null ? margin : Decimal.min(b.hi, margin);
  if (margin !== null && verdict === 'FAIL')
    b.lo = b.lo === null ? margin : Decimal.max(b.lo, margin);
  bounds.set(customerId, b);
}

/** Customers whose exposure moved past what their decisions allow: decide them again, locked. */
export class CreditMovedError extends Error {
  constructor(readonly customerIds: string[]) {
    super(`credit exposure of ${customerIds.join(', ')} moved since its book was read`);
    this.name = 'CreditMovedError';
  }
}

/**
 * The confirmation of the books' decisions, for credit_confirm (in the migrations) to make in
 * the statement that writes them: each customer's credit lock, in the order of their ids and
 * held to the commit, with its running exposure against its book as read (this transaction's
 * own changes left out): the difference is what others changed since. Within its bounds, every
 * verdict stands as if it had been made under the lock; the customers past them are answered,
 * and confirmed() throws for them, so that the caller rolls back.
 */
export function creditConfirmation(
  books: ReadonlyMap<string, CreditBook>,
  bounds: CreditBounds,
): string {
  return JSON.stringify(
    [...books].map(([customer, book]) => {
      const b = bounds.get(customer);

      return {
        customer,
        expected: book.read.toFixed(),
        lo: b?.lo?.toFixed() ?? null,
        hi: b?.hi?.toFixed() ?? null,
      };
    }),
  );
}

/** credit_confirm's answer: the customers whose exposure moved past their bounds. */
export function confirmed(moved: readonly string[]): void {
  if (moved.length > 0) throw new CreditMovedError([...moved]);
}

export interface ExposureSums {
  unpaid: string;
  open: string;
}

/**
 * The customer's running exposure (prisma/models/credit-exposure.prisma) without the part of
 * the shipment being decided, the changes written since the last fold folded into the
 * customer's row. Only under the customer's credit lock: the fold is the row's one writer.
 */
export async function runningExposure(
  tx: Tx,
  customerId: string,
  shipmentId: string,
): Promise<ExposureSums> {
  const [row] = await tx.$queryRaw<ExposureSums[]>`
    SELECT unpaid, open FROM credit_running_exposure(${customerId}::uuid, ${shipmentId}::uuid)`;

  return row!;
}

/**
 * The same exposure summed from every open invoice and shipment of the customer: the rule the
 * running exposure must always equal (its test compares the two).
 */
export async function summedExposure(
  tx: Tx,
  customerId: string,
  shipmentId: string,
): Promise<ExposureSums> {
  const [row] = await tx.$queryRaw<{ unpaid: string | null; open: string | null }[]>`
    SELECT
      (SELECT sum(i.total - coalesce(
                (SELECT sum(p.amount) FROM payments p WHERE p.invoice_id = i.id), 0))::text
       FROM invoices i
       WHERE i.customer_id = ${customerId}::uuid AND i.status = 'RELEASED') AS unpaid,
      (SELECT (coalesce(sum(s.goods_value), 0) + coalesce(sum(
                (SELECT sum(c.amount) FROM charges c
                 WHERE c.shipment_id = s.id AND c.voided_at IS NULL AND c.invoice_id IS NULL)), 0))::text
       FROM shipments s
       WHERE s.customer_id = ${customerId}::uuid AND s.id <> ${shipmentId}::uuid
         AND s.invoiced_at IS NULL AND s.cancelled_at IS NULL
         AND (s.readiness = 'READY' OR s.departed_at IS NOT NULL)) AS open`;

  return { unpaid: row?.unpaid ?? '0', open: row?.open ?? '0' };
}
