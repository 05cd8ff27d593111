import type { Db, Tx } from '../../db/client';
import type { Prisma } from '../../db/generated/client';
import { logger } from '../../lib/logger';
import { toStorage } from '../../lib/money';
import { writeAudit } from '../audit/write-audit';
import { localDateIn } from '../../lib/business-time';
import {
  measureShipment,
  SHIPMENT_LOAD_SELECT,
  type ShipmentMeasures,
} from '../dispatch/shipment-load';
import { openException, resolveByFacts } from '../exceptions/open-exception';
import { matchZones } from '../readiness/route-check';
import { loadContracts, loadFuelPrices } from './load-rating-input';
import { rateShipment, type NoRate, type NoRateMissing, type Rating } from './rating';

// Billing pre-validation, the branch after the readiness gate passes that rates the shipment
// from the customer's contract before it leaves, so that a missing rate reaches billing while
// there is still time to fix it rather than on the day of invoicing. It writes charge lines, not
// invoices: an invoice is released only on delivery and proof of delivery.
//
// Safe to run twice: each run voids the shipment's earlier charges that no invoice holds and
// writes the current rating, so there is only ever one live set of lines.

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

async function loadShipment(tx: Tx, shipmentId: string) {
  return tx.shipment.findUnique({
    where: { id: shipmentId },
    include: {
      site: { select: { timeZone: true } },
      shipTo: { select: { postalCode: true, country: true } },
      plannedTrip: { select: { serviceDate: true } },
      charges: { where: { voidedAt: null, invoiceId: { not: null } }, select: { id: true } },
      lines: SHIPMENT_LOAD_SELECT.lines,
    },
  });
}

type BillingShipment = NonNullable<Awaited<ReturnType<typeof loadShipment>>>;

async function prevalidateInTransaction(
  tx: Tx,
  shipmentId: string,
  now: Date,
): Promise<BillingOutcome> {
  // Reruns of one shipment's billing take turns; the other branches are not held up by it.
  const lockKey = `billing:${shipmentId}`;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${lockKey}, 0))`;
  const shipment = await loadShipment(tx, shipmentId);
  if (!shipment) return { status: 'skipped', reason: 'NOT_FOUND' };
  if (shipment.cancelledAt) return { status: 'skipped', reason: 'CANCELLED' };
  // Lines on an invoice are the invoice's now; re-rating beside them would bill twice.
  if (shipment.invoicedAt || shipment.charges.length > 0)
    return { status: 'skipped', reason: 'INVOICED' };

  const { context, result } = await rate(tx, shipment);
  const voided = await tx.charge.updateMany({
    where: { shipmentId, voidedAt: null, invoiceId: null },
    data: { voidedAt: now },
  });

  return result.ok
    ? writeCharges(tx, shipment, context, result, voided.count)
    : reportNoRate(tx, shipment, context, result, voided.count);
}

/** The local date it ships: its planned departure's, else the day it was staged at the site. */
function shipDateOf(shipment: BillingShipment): string {
  if (shipment.plannedTrip) return shipment.plannedTrip.serviceDate.toISOString().slice(0, 10);

  return localDateIn(shipment.site.timeZone, shipment.packedStagedAt ?? shipment.releasedAt);
}

async function zonesOf(tx: Tx, shipTo: BillingShipment['shipTo']) {
  const zones = await tx.deliveryZone.findMany({
    where: { country: { equals: shipTo.country.trim(), mode: 'insensitive' } },
    orderBy: { code: 'asc' },
  });

  return matchZones(shipTo, zones);
}

async function rate(tx: Tx, shipment: BillingShipment) {
  const matched = await zonesOf(tx, shipment.shipTo);
  const context: RatingContext = {
    shipDate: shipDateOf(shipment),
    zoneCodes: matched.map((z) => z.code),
    measures: measureShipment(shipment),
  };
  if (matched.length === 0) {
    const where = `${shipment.shipTo.postalCode}, ${shipment.shipTo.country}`;
    const message = `Ship-to ${where} is outside every delivery zone`;

    return { context, result: { ok: false, missing: 'ZONE', message } satisfies Gap };
  }

  const contracts = await loadContracts(tx, shipment.customerId);
  const fuelPrices = await loadFuelPrices(tx, contracts);
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
      fuelPrices,
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

async function audit(tx: Tx, shipmentId: string, action: string, data: Record<string, unknown>) {
  await writeAudit(tx, {
    entityType: 'Shipment',
    entityId: shipmentId,
    action,
    actor: { type: 'SYSTEM', id: null },
    data,
  });
}

async function writeCharges(
  tx: Tx,
  shipment: BillingShipment,
  context: RatingContext,
  rating: Rating,
  voided: number,
): Promise<BillingOutcome> {
  const created = await tx.charge.createManyAndReturn({
    data: rating.lines.map((line) => ({
      shipmentId: shipment.id,
      kind: line.kind,
      code: line.code,
      description: line.description,
      amount: toStorage(line.amount),
      currency: rating.currency,
      basis: { ...line.basis, contractCode: rating.contractCode, shipDate: context.shipDate },
    })),
    select: { id: true },
  });
  await resolveByFacts(tx, [noRateKey(shipment.id)], `rated from contract ${rating.contractCode}`);
  const total = toStorage(rating.total);
  await audit(tx, shipment.id, 'billing.prevalidated', {
    contractCode: rating.contractCode,
    currency: rating.currency,
    subtotal: toStorage(rating.subtotal),
    tax: toStorage(rating.tax),
    total,
    chargeableWeightKg: rating.chargeableWeightKg.toString(),
    shipDate: context.shipDate,
    lines: created.length,
    voided,
  });

  return {
    status: 'rated',
    contractCode: rating.contractCode,
    currency: rating.currency,
    total,
    chargeIds: created.map((c) => c.id),
    voided,
  };
}

async function reportNoRate(
  tx: Tx,
  shipment: BillingShipment,
  context: RatingContext,
  gap: Gap,
  voided: number,
): Promise<BillingOutcome> {
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
  await audit(tx, shipment.id, 'billing.no_rate', { ...detail, exceptionId: exception.id });

  return {
    status: 'no_rate',
    missing: gap.missing,
    message: gap.message,
    exceptionId: exception.id,
    voided,
  };
}
