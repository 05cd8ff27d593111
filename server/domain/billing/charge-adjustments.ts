import type { Db, Tx } from '../../db/client';
import { AppError } from '../../lib/errors';
import { decimal, roundMoney, toStorage, type Decimal } from '../../lib/money';
import { writeAudit } from '../audit/write-audit';
import { openRequest } from '../approvals/open-request';
import { maySeeSite, siteFilter, type SiteScope } from '../users/site-scope';

// A billing analyst adjusts a rated charge to a new amount, with a reason. The size of the
// adjustment is measured from the charge's last approved amount (the newest adjustment an
// approver let through, else the amount as rated), not from its current one, so that a change
// split into small steps adds up: |new - approved| is compared with the threshold of the
// charge's currency, the
// active CHARGE_ADJUSTMENT approval rule for it (admins edit it on the approvals page): at or
// below it the new amount applies at once; above it the adjustment waits for a billing analyst
// of the rule's level, never the requester (decide.ts applies or rejects it). Only a live
// charge that no invoice holds can be adjusted: an invoiced amount is the invoice's. Money is
// Decimal throughout, rounded half-even to cents (server/lib/money.ts).
// Missing: a later re-rating of the shipment (prevalidate-billing.ts voids the charges no
// invoice holds and rates afresh) does not carry an applied adjustment over to the new charge;
// the adjustment stays on record against the voided one. This mark can go once re-rating
// re-applies the shipment's applied adjustments or refuses to run over them.

export interface AdjustmentAsk {
  chargeId: string;
  newAmount: string;
  reason: string;
  userId: string;
  requestId?: string | null;
}

export type AdjustmentOutcome =
  | { status: 'APPLIED'; adjustmentId: string }
  | { status: 'AWAITING_APPROVAL'; adjustmentId: string; approvalRequestId: string; dueAt: Date };

const AMOUNT = /^\d{1,10}(\.\d{1,2})?$/;

/** The amount a person typed, as Decimal cents; a clear error for anything else. */
export function parseAdjustedAmount(text: string): Decimal {
  const t = text.trim();
  if (!AMOUNT.test(t))
    throw new AppError(
      'BAD_REQUEST',
      'The new amount is a non-negative amount with at most 2 decimals, e.g. "125.50"',
    );

  return roundMoney(decimal(t));
}

/** Whether moving the charge from its approved amount to `next` needs an approval. */
export function needsApproval(approved: Decimal, next: Decimal, threshold: Decimal): boolean {
  return next.minus(approved).abs().gt(threshold);
}

/** The newest amount an approver let through, else the amount the charge was rated at. */
async function approvedAmount(tx: Tx, chargeId: string, current: Decimal): Promise<Decimal> {
  const approved = await tx.chargeAdjustment.findFirst({
    where: { chargeId, status: 'APPLIED', approvalRequestId: { not: null } },
    orderBy: { appliedAt: 'desc' },
    select: { newAmount: true },
  });
  if (approved) return decimal(approved.newAmount.toString());
  const first = await tx.chargeAdjustment.findFirst({
    where: { chargeId, status: 'APPLIED' },
    orderBy: { appliedAt: 'asc' },
    select: { previousAmount: true },
  });

  return first ? decimal(first.previousAmount.toString()) : current;
}

async function lockLiveCharge(tx: Tx, chargeId: string) {
  await tx.$executeRaw`SELECT 1 FROM charges WHERE id = ${chargeId}::uuid FOR UPDATE`;
  const charge = await tx.charge.findUnique({
    where: { id: chargeId },
    include: { shipment: { select: { id: true, ref: true, siteId: true } } },
  });
  if (!charge) throw new AppError('NOT_FOUND', 'No such charge');
  if (charge.voidedAt) throw new AppError('CONFLICT', 'This charge was voided by a later rating');
  if (charge.invoiceId)
    throw new AppError('CONFLICT', 'This charge is on an invoice; correct it with a credit note');

  return charge;
}

type LiveCharge = Awaited<ReturnType<typeof lockLiveCharge>>;

async function assertAnalyst(tx: Tx, userId: string, siteId: string) {
  const user = await tx.user.findUnique({
    where: { id: userId },
    select: { role: true, active: true, allSites: true, sites: { select: { siteId: true } } },
  });
  if (!user?.active || user.role !== 'BILLING_ANALYST')
    throw new AppError('FORBIDDEN', 'Only billing analysts adjust charges');
  if (!maySeeSite({ allSites: user.allSites, siteIds: user.sites.map((s) => s.siteId) }, siteId))
    throw new AppError('FORBIDDEN', 'This charge belongs to a site you do not work at');
}

async function thresholdRule(tx: Tx, currency: string) {
  const rule = await tx.approvalRule.findFirst({
    where: {
      kind: 'CHARGE_ADJUSTMENT',
      active: true,
      condition: { path: ['currency'], equals: currency },
    },
    orderBy: { createdAt: 'desc' },
  });
  if (!rule)
    throw new AppError(
      'CONFLICT',
      `No adjustment threshold is set for ${currency}; an admin adds one on the approvals page`,
    );

  return { rule, threshold: decimal(String((rule.condition as { maxAmount: string }).maxAmount)) };
}

async function auditCharge(
  tx: Tx,
  chargeId: string,
  action: string,
  actorId: string,
  data: object,
  requestId?: string | null,
) {
  await writeAudit(tx, {
    entityType: 'Charge',
    entityId: chargeId,
    action,
    actor: { type: 'USER', id: actorId },
    requestId: requestId ?? null,
    data,
  });
}

async function applyNow(
  tx: Tx,
  charge: LiveCharge,
  next: Decimal,
  ask: AdjustmentAsk,
  reason: string,
  now: Date,
) {
  const adjustment = await tx.chargeAdjustment.create({
    data: {
      chargeId: charge.id,
      requestedById: ask.userId,
      status: 'APPLIED',
      previousAmount: charge.amount,
      newAmount: toStorage(next),
      currency: charge.currency,
      reason,
      createdAt: now,
      appliedAt: now,
    },
  });
  await tx.charge.update({ where: { id: charge.id }, data: { amount: toStorage(next) } });
  await auditCharge(
    tx,
    charge.id,
    'charge.adjusted',
    ask.userId,
    {
      adjustmentId: adjustment.id,
      from: charge.amount.toString(),
      to: toStorage(next),
      currency: charge.currency,
      reason,
    },
    ask.requestId,
  );

  return adjustment.id;
}

export async function requestAdjustment(
  db: Db,
  ask: AdjustmentAsk,
  now: Date = new Date(),
): Promise<AdjustmentOutcome> {
  const next = parseAdjustedAmount(ask.newAmount);
  const reason = ask.reason.trim();
  if (reason.length === 0) throw new AppError('BAD_REQUEST', 'An adjustment needs a reason');

  return db.$transaction(async (tx) => {
    const charge = await lockLiveCharge(tx, ask.chargeId);
    await assertAnalyst(tx, ask.userId, charge.shipment.siteId);
    const current = decimal(charge.amount.toString());
    if (current.eq(next)) throw new AppError('BAD_REQUEST', 'The charge already has this amount');
    const waiting = await tx.chargeAdjustment.findFirst({
      where: { chargeId: charge.id, status: 'AWAITING_APPROVAL' },
      select: { id: true },
    });
    if (waiting)
      throw new AppError(
        'CONFLICT',
        'An adjustment of this charge is already waiting for approval',
      );

    const { rule, threshold } = await thresholdRule(tx, charge.currency);
    const approved = await approvedAmount(tx, charge.id, current);
    if (!needsApproval(approved, next, threshold))
      return {
        status: 'APPLIED',
        adjustmentId: await applyNow(tx, charge, next, ask, reason, now),
      };

    const detail = {
      chargeId: charge.id,
      chargeCode: charge.code,
      previousAmount: toStorage(current),
      approvedAmount: toStorage(approved),
      newAmount: toStorage(next),
      currency: charge.currency,
      threshold: threshold.toString(),
    };
    const request = await openRequest(
      tx,
      {
        rule,
        shipment: charge.shipment,
        kind: 'CHARGE_ADJUSTMENT',
        reason,
        detail,
        requestedById: ask.userId,
        title: `Charge adjustment on ${charge.shipment.ref}: ${charge.code} ${detail.previousAmount} -> ${detail.newAmount} ${charge.currency}`,
        requestId: ask.requestId,
      },
      now,
    );
    const adjustment = await tx.chargeAdjustment.create({
      data: {
        chargeId: charge.id,
        requestedById: ask.userId,
        approvalRequestId: request.id,
        status: 'AWAITING_APPROVAL',
        previousAmount: charge.amount,
        newAmount: toStorage(next),
        currency: charge.currency,
        reason,
        createdAt: now,
      },
    });
    await auditCharge(
      tx,
      charge.id,
      'charge.adjustment-requested',
      ask.userId,
      {
        adjustmentId: adjustment.id,
        approvalRequestId: request.id,
        ...detail,
      },
      ask.requestId,
    );

    return {
      status: 'AWAITING_APPROVAL',
      adjustmentId: adjustment.id,
      approvalRequestId: request.id,
      dueAt: request.dueAt,
    };
  });
}

async function waitingAdjustment(tx: Tx, approvalRequestId: string) {
  const adjustment = await tx.chargeAdjustment.findUnique({ where: { approvalRequestId } });
  if (!adjustment || adjustment.status !== 'AWAITING_APPROVAL')
    throw new AppError('CONFLICT', 'This adjustment is no longer waiting');

  return adjustment;
}

/** On approval: the new amount applies, provided the charge is still the one that was asked about. */
export async function applyApprovedAdjustment(
  tx: Tx,
  approvalRequestId: string,
  deciderId: string,
  now: Date,
) {
  const adjustment = await waitingAdjustment(tx, approvalRequestId);
  const charge = await lockLiveCharge(tx, adjustment.chargeId);
  if (!decimal(charge.amount.toString()).eq(decimal(adjustment.previousAmount.toString())))
    throw new AppError(
      'CONFLICT',
      'The charge changed since this adjustment was asked for; reject it and ask again',
    );
  await tx.charge.update({ where: { id: charge.id }, data: { amount: adjustment.newAmount } });
  await tx.chargeAdjustment.update({
    where: { id: adjustment.id },
    data: { status: 'APPLIED', appliedAt: now },
  });
  await auditCharge(tx, charge.id, 'charge.adjusted', deciderId, {
    adjustmentId: adjustment.id,
    approvalRequestId,
    from: adjustment.previousAmount.toString(),
    to: adjustment.newAmount.toString(),
    currency: adjustment.currency,
    reason: adjustment.reason,
  });
}

export async function rejectAdjustment(tx: Tx, approvalRequestId: string, now: Date) {
  const adjustment = await waitingAdjustment(tx, approvalRequestId);
  await tx.chargeAdjustment.update({
    where: { id: adjustment.id },
    data: { status: 'REJECTED', rejectedAt: now },
  });
}

/** A shipment's live charges with their adjustments, for the shipment page. */
export async function chargesWithAdjustments(db: Db, shipmentRef: string, scope: SiteScope) {
  return db.charge.findMany({
    where: { shipment: { ref: shipmentRef, ...siteFilter(scope) }, voidedAt: null },
    orderBy: { createdAt: 'asc' },
    select: {
      id: true,
      kind: true,
      code: true,
      description: true,
      amount: true,
      currency: true,
      invoiceId: true,
      shipment: { select: { siteId: true } },
      adjustments: {
        orderBy: { createdAt: 'desc' },
        take: 10,
        select: {
          id: true,
          status: true,
          previousAmount: true,
          newAmount: true,
          reason: true,
          createdAt: true,
          approvalRequestId: true,
          requestedBy: { select: { name: true } },
          approvalRequest: { select: { decisionNote: true, status: true } },
        },
      },
    },
  });
}
