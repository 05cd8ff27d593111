import { randomUUID } from 'node:crypto';
import type { Db, Tx } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import { logger } from '../../lib/logger';
import { toStorage } from '../../lib/money';
import { chainedAuditRow, insertAuditSql, type AuditHead } from '../audit/chained-audit';
import { insertAuditRowsSql } from '../audit/write-audit';
import {
  measureShipment,
  type ShipmentLoadRow,
  type ShipmentMeasures,
} from '../dispatch/shipment-load';
import { openException, resolveByFacts } from '../exceptions/open-exception';
import { ACTIVE_STATUSES } from '../exceptions/status-machine';
import { inTransaction, rawExecute, rawQuery } from '../../db/transaction-sql';
import { matchZones } from '../readiness/route-check';
import type { GateZone } from '../readiness/types';
import { rateShipment, type NoRate, type NoRateMissing, type Rating } from './rating';
import { contractsAt } from './rating-reference';

// Billing pre-validation, the branch after the readiness gate passes that rates the shipment
// from the customer's contract before it leaves, so that a missing rate reaches billing while
// there is still time to fix it rather than on the day of invoicing. It writes charge lines, not
// invoices: an invoice is released only on delivery and proof of delivery.
//
// Safe to run twice: each run voids the shipment's earlier charges that no invoice holds and
// writes the current rating, so there is only ever one live set of lines. A run is a handful of
// statements: the locks, one read of everything it needs (the customer's contracts from a
// cache checked against their fingerprint), and one write of the charges with the audit row.

const log = logger('prevalidate-billing');

const TX_OPTIONS = { timeout: 30_000, maxWait: 15_000 };

/** What rating could not find; ZONE is ours: the ship-to is in no delivery zone at all. */
export type BillingGap = NoRateMissing | 'ZONE';

export type BillingOutcome =
  | {
      status: 'rated';
      contractCode: string;
      currency: string;
      total: string;
      chargeIds: string[];
      voided: number;
    }
  | { status: 'no_rate'; missing: BillingGap; message: string; exceptionId: string; voided: number }
  | { status: 'skipped'; reason: 'NOT_FOUND' | 'CANCELLED' | 'INVOICED' };

export const noRateKey = (shipmentId: string) => `shipment:${shipmentId}:NO_RATE`;

/** The lock that makes the runs of one shipment's billing take turns. */
export const billingLockKey = (shipmentId: string) => `billing:${shipmentId}`;

// How far rating got before it stopped: the zone whose attempt got furthest explains best.
const GAP_ORDER: readonly BillingGap[] = [
  'ZONE',
  'CONTRACT',
  'LANE',
  'BREAK',
  'FUEL_PRICE',
  'FUEL_BAND',
  'ACCESSORIAL',
];

export interface RatingContext {
  shipDate: string;
  zoneCodes: string[];
  measures: ShipmentMeasures;
}

export type Gap = { ok: false; missing: BillingGap; message: string; contractCode?: string };

export async function prevalidateBilling(
  db: Db,
  shipmentId: string,
  options: { now?: Date } = {},
): Promise<BillingOutcome> {
  const now = options.now ?? new Date();
  const outcome = await inTransaction(
    db,
    (tx) => prevalidateInTransaction(tx, shipmentId, now),
    TX_OPTIONS,
  );
  log.info({ shipmentId, outcome: outcome.status }, 'billing pre-validation ran');

  return outcome;
}

export interface BillingShipment extends ShipmentLoadRow {
  id: string;
  ref: string;
  siteId: string;
  customerId: string;
  handlingUnits: number | null;
  cancelledAt: string | null;
  invoicedAt: string | null;
  /** The local date it ships: its planned departure's, else the day it was staged at the site. */
  shipDate: string;
  shipTo: { postalCode: string; country: string };
  invoicedCharges: number;
  liveCharges: number;
  zones: GateZone[];
  contractsVersion: string;
  fuelPrices: { region: string; weekStart: string; price: string }[];
  noRateOpen: boolean;
  auditHead: AuditHead | null;
}

/**
 * The locks and everything a run needs, in one round trip (billing_read, in the migration
 * 20261205030000_branch_reads): the run's own lock, so that reruns of one shipment's billing take
 * turns; the shipment's row (KEY SHARE, which the charges' foreign key takes anyway) before its
 * audit lock, the order slotting and the apply take them in (the other way round, a charge
 * written under the audit lock would wait for a slotting run waiting for that audit lock); then
 * the shipment with its lines and ship-to, the delivery zones of its country, the fingerprint
 * of its customer's contracts, the fuel index around its ship date, its charges, whether its
 * NO_RATE exception is open, and the head of its audit chain. Asynchronous commit loses
 * nothing, as in the apply (apply-events.ts): the job is done only once graphile-worker commits
 * its completion after this commit, so a lost commit is a rerun, and a rerun rewrites.
 */
async function lockAndLoad(tx: Tx, shipmentId: string): Promise<BillingShipment | null> {
  const [row] = await rawQuery<{ shipment: BillingShipment | null }>(
    tx,
    Prisma.sql`SELECT set_config('synchronous_commit', 'off', true) AS commit_mode,
      billing_read(${shipmentId}, ${billingLockKey(shipmentId)}, ${noRateKey(shipmentId)},
        ${[...ACTIVE_STATUSES]}::text[]) AS shipment`,
  );

  return row?.shipment ?? null;
}

/** Why a run leaves the shipment alone, if it does. */
export function billingSkip(shipment: BillingShipment | null): BillingOutcome | null {
  if (!shipment) return { status: 'skipped', reason: 'NOT_FOUND' };
  if (shipment.cancelledAt) return { status: 'skipped', reason: 'CANCELLED' };
  // Lines on an invoice are the invoice's now; re-rating beside them would bill twice.
  if (shipment.invoicedAt || shipment.invoicedCharges > 0)
    return { status: 'skipped', reason: 'INVOICED' };

  return null;
}

async function prevalidateInTransaction(
  tx: Tx,
  shipmentId: string,
  now: Date,
): Promise<BillingOutcome> {
  const shipment = await lockAndLoad(tx, shipmentId);
  const skip = billingSkip(shipment);
  if (skip) return skip;

  const { context, result } = await rate(tx, shipment!);
  if (!result.ok) return reportNoRate(tx, shipment!, context, result, now);
  const [outcome] = await writeCharges(tx, [{ shipment: shipment!, context, rating: result }], now);

  return outcome!;
}

export async function rate(tx: Tx, shipment: BillingShipment) {
  const matched = matchZones(shipment.shipTo, shipment.zones);
  const context: RatingContext = {
    shipDate: shipment.shipDate,
    zoneCodes: matched.map((z) => z.code),
    measures: measureShipment(shipment),
  };
  if (matched.length === 0) {
    const where = `${shipment.shipTo.postalCode}, ${shipment.shipTo.country}`;
    const message = `Ship-to ${where} is outside every delivery zone`;

    return { context, result: { ok: false, missing: 'ZONE', message } satisfies Gap };
  }

  const contracts = await contractsAt(tx, shipment.customerId, shipment.contractsVersion);
  const { measures, shipDate } = context;
  // A ship-to inside overlapping zones is rated on whichever zone the contract has a lane for.
  const attempts = matched.map((zone) =>
    rateShipment(
      contracts,
      {
        originSiteId: shipment.siteId,
        zoneId: zone.id,
        shipDate,
        weightKg: measures.weightKg,
        volumeM3: measures.volumeM3,
        handlingUnits: shipment.handlingUnits,
        dangerousGoods: measures.dangerousGoods,
      },
      shipment.fuelPrices,
    ),
  );
  const result: Rating | Gap =
    attempts.find((a): a is Rating => a.ok) ?? furthest(attempts as NoRate[]);

  return { context, result };
}

function furthest(gaps: readonly NoRate[]): Gap {
  const [best] = [...gaps].sort(
    (a, b) => GAP_ORDER.indexOf(b.missing) - GAP_ORDER.indexOf(a.missing),
  );

  return {
    ok: false,
    missing: best!.missing,
    message: best!.message,
    contractCode: best!.contractCode,
  };
}

function auditRow(shipment: BillingShipment, action: string, data: Record<string, unknown>) {
  return chainedAuditRow(shipment.auditHead, {
    entityType: 'Shipment',
    entityId: shipment.id,
    action,
    actor: { type: 'SYSTEM', id: null },
    data,
  });
}

export interface Rated {
  shipment: BillingShipment;
  context: RatingContext;
  rating: Rating;
}

function ratedOutcome({ shipment, rating }: Rated, chargeIds: string[]): BillingOutcome {
  return {
    status: 'rated',
    contractCode: rating.contractCode,
    currency: rating.currency,
    total: toStorage(rating.total),
    chargeIds,
    voided: shipment.liveCharges,
  };
}

/**
 * One statement for the ratings of any number of shipments: the earlier lines no invoice holds
 * voided, the new ones and an audit row each. A NO_RATE exception left open by an earlier run
 * is resolved first. The outcomes, in the order of `rated`.
 */
export async function writeCharges(
  tx: Tx,
  rated: readonly Rated[],
  now: Date,
): Promise<BillingOutcome[]> {
  for (const { shipment, rating } of rated.filter((r) => r.shipment.noRateOpen)) {
    const note = `rated from contract ${rating.contractCode}`;
    await resolveByFacts(tx, [noRateKey(shipment.id)], note);
  }
  const lines = rated.map(({ shipment, context, rating }) =>
    rating.lines.map((line) => ({
      id: randomUUID(),
      shipment_id: shipment.id,
      kind: line.kind,
      code: line.code,
      description: line.description,
      amount: toStorage(line.amount),
      currency: rating.currency,
      basis: { ...line.basis, contractCode: rating.contractCode, shipDate: context.shipDate },
    })),
  );
  const audits = rated.map(({ shipment, context, rating }, i) =>
    auditRow(shipment, 'billing.prevalidated', {
      contractCode: rating.contractCode,
      currency: rating.currency,
      subtotal: toStorage(rating.subtotal),
      tax: toStorage(rating.tax),
      total: toStorage(rating.total),
      chargeableWeightKg: rating.chargeableWeightKg.toString(),
      shipDate: context.shipDate,
      lines: lines[i]!.length,
      voided: rated[i]!.shipment.liveCharges,
    }),
  );
  await rawExecute(
    tx,
    Prisma.sql`
    WITH voided AS (${voidSql(
      rated.map((r) => r.shipment.id),
      now,
    )}), created AS (
      INSERT INTO charges (id, shipment_id, kind, code, description, amount, currency, basis,
        created_at)
      SELECT c.id, c.shipment_id, c.kind::"ChargeKind", c.code, c.description,
        c.amount::numeric, c.currency, c.basis, ${now}
      FROM json_to_recordset(${JSON.stringify(lines.flat())}::json) AS c(id uuid,
        shipment_id uuid, kind text, code text, description text, amount text, currency text,
        basis jsonb)
      RETURNING id), audited AS (${insertAuditRowsSql(`[${audits.join(',')}]`)} RETURNING id)
    SELECT (SELECT count(*) FROM voided), (SELECT count(*) FROM created),
      (SELECT count(*) FROM audited)`,
  );

  return rated.map((r, i) =>
    ratedOutcome(
      r,
      lines[i]!.map((c) => c.id),
    ),
  );
}

function voidSql(shipmentIds: readonly string[], now: Date) {
  return Prisma.sql`UPDATE charges SET voided_at = ${now}
    WHERE shipment_id = ANY (${[...shipmentIds]}::uuid[]) AND voided_at IS NULL
      AND invoice_id IS NULL
    RETURNING id`;
}

export async function reportNoRate(
  tx: Tx,
  shipment: BillingShipment,
  context: RatingContext,
  gap: Gap,
  now: Date,
): Promise<BillingOutcome> {
  const voided = shipment.liveCharges;
  const detail = {
    missing: gap.missing,
    message: gap.message,
    contractCode: gap.contractCode ?? null,
    shipDate: context.shipDate,
    zones: context.zoneCodes,
    weightKg: context.measures.weightKg.toString(),
    volumeM3: context.measures.volumeM3.toString(),
    voidedCharges: voided,
  };
  const exception = await openException(tx, {
    type: 'NO_RATE',
    ownerTeam: 'BILLING',
    siteId: shipment.siteId,
    shipmentId: shipment.id,
    dedupeKey: noRateKey(shipment.id),
    title: `No rate for ${shipment.ref}: ${gap.message}`,
    detail: detail as Prisma.InputJsonValue,
  });
  const audit = auditRow(shipment, 'billing.no_rate', { ...detail, exceptionId: exception.id });
  await tx.$executeRaw`
    WITH voided AS (${voidSql([shipment.id], now)}), audited AS (${insertAuditSql(audit)} RETURNING id)
    SELECT (SELECT count(*) FROM voided), (SELECT count(*) FROM audited)`;

  return {
    status: 'no_rate',
    missing: gap.missing,
    message: gap.message,
    exceptionId: exception.id,
    voided,
  };
}
