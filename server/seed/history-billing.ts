import { randomUUID } from 'node:crypto';
import { DAY, MINUTE, newException, type SimContext } from './history-context';
import { type RatedShipment, rateDelivered } from './history-rating';
import type { SimInvoice, SimShipment } from './history-types';
import { decimal, type Decimal, toStorage } from '../lib/money';
import { fixed } from './numbers';
import type { Rng } from './rng';
import type { CustomerInfo, PayProfile } from './types';

// Charges on delivery, the invoice on proof of delivery (held now and then for a charge that
// looks wrong), and payment as each customer pays: most within terms, some late, the slow
// payers so late that they run over their credit limit.

const CHARGE_ANOMALY = 0.015;

function paymentDelay(rng: Rng, profile: PayProfile, termsDays: number): number {
  const within = () => termsDays * rng.float(0.35, 1) * DAY;
  const late = (min: number, max: number) => (termsDays + rng.float(min, max)) * DAY;
  if (profile === 'SLOW') return late(25, 60);
  if (profile === 'LATE') return rng.chance(0.55) ? within() : late(3, 30);

  return rng.chance(0.92) ? within() : late(1, 15);
}

function releaseInvoice(ctx: SimContext, s: SimShipment, invoice: SimInvoice, at: number): void {
  invoice.status = 'RELEASED';
  invoice.releasedAt = at;
  invoice.dueAt = at + s.customer.termsDays * DAY;
  s.t.invoiced = at;
  const paidAt = at + paymentDelay(ctx.rng, s.customer.payProfile, s.customer.termsDays);
  if (paidAt > ctx.now) return;
  invoice.status = 'PAID';
  invoice.paidAt = paidAt;
  invoice.paymentId = randomUUID();
}

/** Holds the invoice for review; true when the review is still open at `now`. */
function holdForReview(ctx: SimContext, s: SimShipment, invoice: SimInvoice): boolean {
  const placedAt = invoice.createdAt;
  const resolvedAt = s.site.calendar.addOpenMinutes(placedAt, ctx.rng.skewed(60, 2_400));
  const resolved = resolvedAt <= ctx.now;
  const detail = 'Freight well above the lane average for this weight';
  invoice.hold = {
    id: randomUUID(),
    detail,
    placedAt,
    ...(resolved ? { releasedAt: resolvedAt } : {}),
  };
  s.exceptions.push(
    newException({
      type: 'CHARGE_ANOMALY',
      severity: Number(invoice.total) > 1_000 ? 'MEDIUM' : 'LOW',
      ownerTeam: 'BILLING',
      site: s.site,
      shipmentId: s.id,
      title: `${invoice.number}: ${detail}`,
      detail: {
        invoiceNumber: invoice.number,
        shipmentRef: s.ref,
        total: invoice.total,
        currency: s.currency,
      },
      openedAt: placedAt,
      ...(resolved
        ? {
            resolvedAt,
            resolutionCode: 'CONFIRMED',
            resolutionNote: 'Re-weigh confirmed the charge',
          }
        : {}),
    }),
  );
  if (!resolved) invoice.status = 'HELD';

  return !resolved;
}

function newInvoice(ctx: SimContext, rated: RatedShipment, createdAt: number): SimInvoice {
  ctx.seq.invoice += 1;
  const year = new Date(createdAt).getUTCFullYear();

  return {
    id: randomUUID(),
    number: `INV-${year}-${String(ctx.seq.invoice).padStart(6, '0')}`,
    status: 'DRAFT',
    subtotal: rated.subtotal,
    tax: rated.tax,
    total: rated.total,
    createdAt,
  };
}

export function simulateBilling(ctx: SimContext, s: SimShipment): void {
  const { rng } = ctx;
  if (s.t.delivered === undefined) return;
  const anomaly = rng.chance(CHARGE_ANOMALY);
  const chargedAt = s.t.delivered + rng.int(1, 10) * MINUTE;
  if (chargedAt > ctx.now) return;
  const rated = rateDelivered(ctx.fuelWeeks, rng, s, anomaly ? rng.float(1.4, 1.9) : 1);
  s.charges = rated.charges;
  s.chargedAt = chargedAt;
  if (s.t.pod === undefined) return;
  const createdAt = Math.max(s.t.pod, chargedAt) + rng.int(5, 90) * MINUTE;
  if (createdAt > ctx.now) return;
  const invoice = newInvoice(ctx, rated, createdAt);
  s.invoice = invoice;
  if (anomaly && holdForReview(ctx, s, invoice)) return;
  releaseInvoice(ctx, s, invoice, invoice.hold?.releasedAt ?? createdAt);
}

/**
 * Credit limits against the exposure the history leaves at `now`: comfortably above all of it
 * for most customers (every unpaid invoice, held ones included, and the goods and charges of
 * everything not yet invoiced), and under the released unpaid invoices alone for the slow
 * payers, so that exactly those few are over their limit however the credit check counts.
 */
export function calibrateCredit(rng: Rng, customers: CustomerInfo[], shipments: SimShipment[]) {
  const receivable = new Map<string, Decimal>();
  const exposure = new Map<string, Decimal>();
  const add = (map: Map<string, Decimal>, id: string, amount: string) =>
    map.set(id, (map.get(id) ?? decimal(0)).plus(amount));
  for (const s of shipments) {
    if (s.t.cancelled !== undefined) continue;
    const id = s.customer.id;
    const invoice = s.invoice;
    if (invoice?.status === 'RELEASED') add(receivable, id, invoice.total);
    if (invoice && invoice.status !== 'PAID') add(exposure, id, invoice.total);
    if (!invoice) {
      add(exposure, id, s.goodsValue);
      for (const c of s.charges) add(exposure, id, c.amount);
    }
  }
  const limits = new Map<string, string>();
  const over: string[] = [];
  for (const c of customers) {
    const open = receivable.get(c.id) ?? decimal(0);
    const headroom = fixed(rng.float(2.5, 4), 2);
    const limit =
      c.payProfile === 'SLOW'
        ? open
            .times(fixed(rng.float(0.5, 0.75), 2))
            .dividedBy(1_000)
            .floor()
            .times(1_000)
        : (exposure.get(c.id) ?? decimal(0)).times(headroom).dividedBy(5_000).ceil().times(5_000);
    const floor = c.payProfile === 'SLOW' ? decimal(0) : decimal(25_000);
    limits.set(c.id, toStorage(limit.lessThan(floor) ? floor : limit));
    if (open.greaterThan(limit)) over.push(c.code);
  }

  return { limits, over };
}
