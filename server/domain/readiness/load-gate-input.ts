import type { StoredApprovals } from '../approvals/load-rules';
import type { AuditHead } from '../audit/chained-audit';
import type { Tx } from '../../db/client';
import type { HoldReason, Readiness } from '../../db/generated/enums';
import { sql } from '../../db/generated/internal/prismaNamespace';
import { rawQuery } from '../../db/transaction-sql';
import { decimal, sum, type Decimal } from '../../lib/money';
import { estimateFreight } from '../billing/rating';
import { referenceData, type ReferenceScope, type ReferenceVersions } from './reference-cache';
import { matchZones } from './route-check';
import type { GateDocument, GateExposure, GateInput, GateLine, GateSettings } from './types';

// Builds the plain GateInput the pure checks take from what the apply already read (the
// shipment as its replay leaves it) and the reference data (reference-cache.ts). Only the
// credit exposure is read here, under the customer's credit lock, taken as late as it can be
// and held to the decision's commit, so the same headroom cannot be spent twice by two
// shipments at once.

export const DEFAULT_SETTINGS = { quantityTolerance: { fraction: '0.02', absolute: '0' } };

/** The shipment as the gate sees it: stored facts with the replay's results applied. */
export interface GateState {
  shipment: {
    id: string;
    siteId: string;
    customerId: string;
    readiness: Readiness;
    readyAt: Date | null;
    plannedTripId: string | null;
    stagedAt: Date | null;
    dangerousGoods: boolean;
    /** Measured, as stored (numeric(12,3) and numeric(12,4)); null when not measured. */
    weightKg: string | null;
    volumeM3: string | null;
    handlingUnits: number | null;
    goodsValue: string | null;
    currency: string;
  };
  customer: {
    allowsPartial: boolean;
    creditLimit: string;
    creditBlocked: boolean;
    currency: string;
  };
  shipTo: { postalCode: string; country: string };
  site: { id: string; timeZone: string };
  lines: GateLine[];
  documents: GateDocument[];
  /** The gate's holds standing on the shipment. */
  openHolds: { id: string; reason: HoldReason }[];
  /** Whether an approved hold override stands on the shipment (none: nothing to read). */
  standingOverrides: boolean;
  /** Dedupe keys of the shipment's active gate exceptions (shipment:<id>:<type>). */
  openKeys: ReadonlySet<string>;
  lastFingerprint: string | null;
  tolerance: unknown;
  scope: ReferenceScope;
  versions: ReferenceVersions;
  /** The active approval rules and the shipment's requests under them. */
  approvals: StoredApprovals;
  /** The shipment's audit chain, locked until commit, for the decision's audit row. */
  auditHead: AuditHead;
}

function settingsOf(tolerance: unknown): GateSettings {
  const value = (tolerance ?? DEFAULT_SETTINGS.quantityTolerance) as {
    fraction: string;
    absolute: string;
  };

  return {
    quantityTolerance: { fraction: decimal(value.fraction), absolute: decimal(value.absolute) },
  };
}

export type GateInputBeforeCredit = Omit<GateInput, 'exposure'> & {
  /** This shipment's expected value: goods value plus the freight estimate. */
  thisShipment: ReturnType<typeof decimal>;
};

/** Everything but the credit exposure, which needs the customer's lock. */
export async function loadGateInput(tx: Tx, state: GateState): Promise<GateInputBeforeCredit> {
  const { shipment, lines } = state;
  const ref = await referenceData(tx, state.scope, state.versions);
  const weightKg = shipment.weightKg
    ? decimal(shipment.weightKg)
    : sum(lines.map((l) => l.pickedQty.mul(l.sku.weightKg)));
  const volumeM3 = shipment.volumeM3
    ? decimal(shipment.volumeM3)
    : sum(lines.map((l) => l.pickedQty.mul(l.sku.volumeM3)));
  const zone = matchZones(state.shipTo, ref.zones)[0];
  const freight = zone
    ? estimateFreight(ref.contracts, {
        originSiteId: shipment.siteId,
        zoneId: zone.id,
        shipDate: shipment.stagedAt ?? new Date(),
        weightKg,
        volumeM3,
        handlingUnits: shipment.handlingUnits,
        dangerousGoods: shipment.dangerousGoods,
      })
    : null;
  const goodsValue = decimal(shipment.goodsValue ?? '0');

  return {
    shipment: {
      id: shipment.id,
      stagedAt: shipment.stagedAt!,
      dangerousGoods: shipment.dangerousGoods,
      weightKg: shipment.weightKg ? weightKg : null,
      volumeM3: shipment.volumeM3 ? volumeM3 : null,
      goodsValue,
      currency: shipment.currency,
    },
    lines,
    customer: {
      id: shipment.customerId,
      allowsPartial: state.customer.allowsPartial,
      creditLimit: decimal(state.customer.creditLimit),
      creditBlocked: state.customer.creditBlocked,
      currency: state.customer.currency,
    },
    documents: state.documents,
    shipTo: state.shipTo,
    zones: ref.zones,
    site: state.site,
    routes: ref.routes,
    vehicles: ref.vehicles,
    settings: settingsOf(state.tolerance),
    thisShipment: freight?.ok ? goodsValue.plus(freight.amount) : goodsValue,
  };
}

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
}

/**
 * The credit locks of the customers of `shipments`, taken in the order of their ids and held to
 * the commit, and each one's book for its shipments named, in one statement.
 */
export async function lockCreditBooks(
  tx: Tx,
  shipments: readonly { id: string; customerId: string }[],
): Promise<Map<string, CreditBook>> {
  const ids = new Map<string, string[]>();
  for (const s of shipments) ids.set(s.customerId, [...(ids.get(s.customerId) ?? []), s.id]);
  const asked = [...ids]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([customer, shipmentIds], n) => ({ n, customer, ids: shipmentIds }));
  if (asked.length === 0) return new Map();
  const rows = await rawQuery<{
    customer: string;
    book: { unpaid: string; open: string; parts: { id: string; part: string; value: string }[] };
  }>(
    tx,
    sql`SELECT c.customer::text AS customer,
      credit_locked_book(c.customer, c.ids, 'credit:' || c.customer::text) AS book
    FROM json_to_recordset(${JSON.stringify(asked)}::json) AS c(n int, customer uuid, ids uuid[])
    ORDER BY c.n`,
  );

  return new Map(
    rows.map(({ customer, book }) => [
      customer,
      {
        unpaid: decimal(book.unpaid),
        open: decimal(book.open),
        parts: new Map(
          book.parts.map((p) => [p.id, { part: decimal(p.part), value: decimal(p.value) }]),
        ),
      },
    ]),
  );
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
