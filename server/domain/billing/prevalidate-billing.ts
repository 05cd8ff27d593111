import { randomUUID } from 'node:crypto';
import type { Db, Tx } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import { logger } from '../../lib/logger';
import { toStorage } from '../../lib/money';
import {
  auditHeadSql,
  auditLockSql,
  chainedAuditRow,
  insertAuditSql,
  type AuditHead,
} from '../dispatch/chained-audit';
import {
  measureShipment,
  type ShipmentLoadRow,
  type ShipmentMeasures,
} from '../dispatch/shipment-load';
import { openException, resolveByFacts } from '../exceptions/open-exception';
import { ACTIVE_STATUSES } from '../exceptions/status-machine';
import { matchZones } from '../readiness/route-check';
import type { GateZone } from '../readiness/types';
import { rateShipment, type NoRate, type NoRateMissing, type Rating } from './rating';
import { contractsAt, contractsVersionSql } from './rating-reference';

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

interface RatingContext {
  shipDate: string;
  zoneCodes: string[];
  measures: ShipmentMeasures;
}

type Gap = { ok: false; missing: BillingGap; message: string; contractCode?: string };

export async function prevalidateBilling(
  db: Db,
  shipmentId: string,
  options: { now?: Date } = {},
): Promise<BillingOutcome> {
  const now = options.now ?? new Date();
  const outcome = await db.$transaction(
    (tx) => prevalidateInTransaction(tx, shipmentId, now),
    TX_OPTIONS,
  );
  log.info({ shipmentId, outcome: outcome.status }, 'billing pre-validation ran');

  return outcome;
}

interface BillingShipment extends ShipmentLoadRow {
  id: string;
  ref: string;
  siteId: string;
  customerId: string;
  handlingUnits: number | null;
  cancelledAt: Date | null;
  invoicedAt: Date | null;
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
 * Everything a run needs, in one statement: the shipment with its lines and ship-to, the
 * delivery zones of its country, the fingerprint of its customer's contracts, the fuel index
 * around its ship date, its charges, whether its NO_RATE exception is open, and the head of its
 * audit chain (whose lock the caller holds). Decimals come as text, never through a float.
 */
async function loadShipment(tx: Tx, shipmentId: string): Promise<BillingShipment | null> {
  const id = Prisma.sql`${shipmentId}::uuid`;
  const rows = await tx.$queryRaw<BillingShipment[]>`
    WITH s AS (
      SELECT s.*, to_char(coalesce(t.service_date,
          (coalesce(s.packed_staged_at, s.released_at) AT TIME ZONE st.time_zone)::date),
          'YYYY-MM-DD') AS ship_date
      FROM shipments s JOIN sites st ON st.id = s.site_id
      LEFT JOIN trips t ON t.id = s.planned_trip_id
      WHERE s.id = ${id})
    SELECT s.id, s.ref, s.site_id AS "siteId", s.customer_id AS "customerId",
      s.handling_units AS "handlingUnits", s.dangerous_goods AS "dangerousGoods",
      s.weight_kg::text AS "weightKg", s.volume_m3::text AS "volumeM3",
      s.cancelled_at AS "cancelledAt", s.invoiced_at AS "invoicedAt", s.ship_date AS "shipDate",
      json_build_object('postalCode', l.postal_code, 'country', l.country) AS "shipTo",
      coalesce((SELECT json_agg(json_build_object('pickedQty', sl.picked_qty::text,
          'orderLine', json_build_object('sku', json_build_object('code', k.code,
            'unNumber', k.un_number, 'hazardClass', k.hazard_class,
            'weightKg', k.weight_kg::text, 'volumeM3', k.volume_m3::text))) ORDER BY sl.id)
        FROM shipment_lines sl JOIN order_lines ol ON ol.id = sl.order_line_id
        JOIN skus k ON k.id = ol.sku_id WHERE sl.shipment_id = s.id), '[]') AS lines,
      (SELECT count(*) FILTER (WHERE c.invoice_id IS NOT NULL) FROM charges c
        WHERE c.shipment_id = s.id AND c.voided_at IS NULL)::int AS "invoicedCharges",
      (SELECT count(*) FILTER (WHERE c.invoice_id IS NULL) FROM charges c
        WHERE c.shipment_id = s.id AND c.voided_at IS NULL)::int AS "liveCharges",
      coalesce((SELECT json_agg(json_build_object('id', z.id, 'code', z.code,
          'country', z.country, 'postalPrefixes', z.postal_prefixes) ORDER BY z.code)
        FROM delivery_zones z WHERE upper(btrim(z.country)) = upper(btrim(l.country))), '[]')
        AS zones,
      ${contractsVersionSql(Prisma.sql`s.customer_id`)} AS "contractsVersion",
      coalesce((SELECT json_agg(json_build_object('region', f.region,
          'weekStart', to_char(f.week_start, 'YYYY-MM-DD'), 'price', f.price::text))
        FROM fuel_price_index f
        WHERE f.region IN (SELECT c.fuel_region FROM contracts c WHERE c.customer_id = s.customer_id)
          AND f.week_start BETWEEN s.ship_date::date - 7 AND s.ship_date::date), '[]')
        AS "fuelPrices",
      EXISTS (SELECT 1 FROM exceptions e WHERE e.dedupe_key = ${noRateKey(shipmentId)}
        AND e.status::text = ANY (${[...ACTIVE_STATUSES]}::text[])) AS "noRateOpen",
      ${auditHeadSql('Shipment', shipmentId)} AS "auditHead"
    FROM s JOIN customer_locations l ON l.id = s.ship_to_id`;

  return rows[0] ?? null;
}

async function prevalidateInTransaction(
  tx: Tx,
  shipmentId: string,
  now: Date,
): Promise<BillingOutcome> {
  // Reruns of one shipment's billing take turns; the other branches are not held up by it.
  // Then the shipment's row (KEY SHARE, which the charges' foreign key takes anyway) before its
  // audit lock, the order slotting and the apply take them in: the other way round, a charge
  // written under the audit lock would wait for a slotting run waiting for that audit lock.
  // Asynchronous commit loses nothing, as in the apply (apply-events.ts): the job is done only
  // once graphile-worker commits its completion after this commit, so a lost commit is a rerun.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`billing:${shipmentId}`}, 0)),
    (SELECT count(*) FROM (SELECT 1 FROM shipments WHERE id = ${shipmentId}::uuid FOR KEY SHARE) AS s),
    ${auditLockSql('Shipment', shipmentId)}, set_config('synchronous_commit', 'off', true)`;
  const shipment = await loadShipment(tx, shipmentId);
  if (!shipment) return { status: 'skipped', reason: 'NOT_FOUND' };
  if (shipment.cancelledAt) return { status: 'skipped', reason: 'CANCELLED' };
  // Lines on an invoice are the invoice's now; re-rating beside them would bill twice.
  if (shipment.invoicedAt || shipment.invoicedCharges > 0)
    return { status: 'skipped', reason: 'INVOICED' };

  const { context, result } = await rate(tx, shipment);

  return result.ok
    ? writeCharges(tx, shipment, context, result, now)
    : reportNoRate(tx, shipment, context, result, now);
}

async function rate(tx: Tx, shipment: BillingShipment) {
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

/** The earlier lines no invoice holds voided, the new ones and the audit row: one statement. */
async function writeCharges(
  tx: Tx,
  shipment: BillingShipment,
  context: RatingContext,
  rating: Rating,
  now: Date,
): Promise<BillingOutcome> {
  const voided = shipment.liveCharges;
  const lines = rating.lines.map((line) => ({
    id: randomUUID(),
    kind: line.kind,
    code: line.code,
    description: line.description,
    amount: toStorage(line.amount),
    basis: { ...line.basis, contractCode: rating.contractCode, shipDate: context.shipDate },
  }));
  if (shipment.noRateOpen) {
    await resolveByFacts(
      tx,
      [noRateKey(shipment.id)],
      `rated from contract ${rating.contractCode}`,
    );
  }
  const total = toStorage(rating.total);
  const audit = auditRow(shipment, 'billing.prevalidated', {
    contractCode: rating.contractCode,
    currency: rating.currency,
    subtotal: toStorage(rating.subtotal),
    tax: toStorage(rating.tax),
    total,
    chargeableWeightKg: rating.chargeableWeightKg.toString(),
    shipDate: context.shipDate,
    lines: lines.length,
    voided,
  });
  await tx.$executeRaw`
    WITH voided AS (${voidSql(shipment.id, now)}), created AS (
      INSERT INTO charges (id, shipment_id, kind, code, description, amount, currency, basis,
        created_at)
      SELECT c.id, ${shipment.id}::uuid, c.kind::"ChargeKind", c.code, c.description,
        c.amount::numeric, ${rating.currency}, c.basis, ${now}
      FROM json_to_recordset(${JSON.stringify(lines)}::json)
        AS c(id uuid, kind text, code text, description text, amount text, basis jsonb)
      RETURNING id), audited AS (${insertAuditSql(audit)} RETURNING id)
    SELECT (SELECT count(*) FROM voided), (SELECT count(*) FROM created),
      (SELECT count(*) FROM audited)`;

  return {
    status: 'rated',
    contractCode: rating.contractCode,
    currency: rating.currency,
    total,
    chargeIds: lines.map((c) => c.id),
    voided,
  };
}

function voidSql(shipmentId: string, now: Date) {
  return Prisma.sql`UPDATE charges SET voided_at = ${now}
    WHERE shipment_id = ${shipmentId}::uuid AND voided_at IS NULL AND invoice_id IS NULL
    RETURNING id`;
}

async function reportNoRate(
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
    WITH voided AS (${voidSql(shipment.id, now)}), audited AS (${insertAuditSql(audit)} RETURNING id)
    SELECT (SELECT count(*) FROM voided), (SELECT count(*) FROM audited)`;

  return {
    status: 'no_rate',
    missing: gap.missing,
    message: gap.message,
    exceptionId: exception.id,
    voided,
  };
}
