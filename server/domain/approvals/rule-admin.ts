import { z } from 'zod';
import type { Db, Tx } from '../../db/client';
import { AppError } from '../../lib/errors';
import { writeAudit } from '../audit/write-audit';

// Admins create and deactivate approval rules; a rule is never edited in place, so the requests
// raised under it keep meaning what they meant. Deactivating one lets the next gate run pass
// shipments it was holding (their facts change on the next apply of each shipment).
// HOLD_OVERRIDE rules say who approves an override of a hold (of one reason, or of any), and
// CHARGE_ADJUSTMENT rules are a currency's threshold: adjustments above it wait for a billing
// analyst of the rule's level. A new rule for the same hold reason or currency replaces the
// standing one in the same transaction, so there is never more than one answer.

const amount = z.string().regex(/^\d+(\.\d+)?$/, 'a decimal amount, e.g. "50000" or "12.5"');
const role = z.enum([
  'WAREHOUSE_SUPERVISOR',
  'DISPATCHER',
  'BILLING_ANALYST',
  'EXECUTIVE',
  'ADMIN',
]);
const level = z.enum(['MEMBER', 'TEAM_LEAD', 'SITE_MANAGER']);
const holdReason = z.enum([
  'QUANTITY_VARIANCE',
  'INVENTORY_UNCONFIRMED',
  'CREDIT',
  'DANGEROUS_GOODS_DOCUMENT',
  'ROUTE_INELIGIBLE',
]);
const currency = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{3}$/, 'a three-letter currency code, e.g. "USD"')
  .transform((c) => c.toUpperCase());

export const ruleInput = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('GOODS_VALUE'),
    name: z.string().trim().min(1).max(200),
    condition: z.object({ minValue: amount }),
    requiredRole: role,
    requiredLevel: level,
  }),
  z.object({
    kind: z.literal('DANGEROUS_GOODS'),
    name: z.string().trim().min(1).max(200),
    condition: z.object({
      maxQuantity: amount,
      dgClass: z.string().trim().min(1).max(10).optional(),
    }),
    requiredRole: role,
    requiredLevel: level,
  }),
  z.object({
    kind: z.literal('HOLD_OVERRIDE'),
    name: z.string().trim().min(1).max(200),
    condition: z.object({ holdReason: holdReason.optional() }),
    requiredRole: role,
    requiredLevel: level,
  }),
  z.object({
    kind: z.literal('CHARGE_ADJUSTMENT'),
    name: z.string().trim().min(1).max(200),
    condition: z.object({ currency, maxAmount: amount }),
    requiredRole: z.literal('BILLING_ANALYST'),
    requiredLevel: level,
  }),
]);

export type RuleInput = z.input<typeof ruleInput>;

export async function createRule(
  db: Db,
  input: RuleInput,
  actor: { userId: string; requestId: string | null },
) {
  // Parsed here too, so that a caller other than the router gets the same normalised rule.
  const parsed = ruleInput.safeParse(input);
  if (!parsed.success)
    throw new AppError('BAD_REQUEST', parsed.error.issues.map((i) => i.message).join('; '));
  input = parsed.data;

  return db.$transaction(async (tx) => {
    const replaced = await replaceable(tx, input);
    for (const old of replaced) await deactivateIn(tx, old.id, actor);
    const rule = await tx.approvalRule.create({ data: input });
    await writeAudit(tx, {
      entityType: 'ApprovalRule',
      entityId: rule.id,
      action: 'approval-rule.created',
      actor: { type: 'USER', id: actor.userId },
      requestId: actor.requestId,
      data: { ...input, replaced: replaced.map((r) => r.id) },
    });

    return rule;
  });
}

/** The standing rules a new one takes the place of: same hold reason, or same currency. */
async function replaceable(tx: Tx, input: RuleInput) {
  if (input.kind !== 'HOLD_OVERRIDE' && input.kind !== 'CHARGE_ADJUSTMENT') return [];
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`approval-rules:${input.kind}`}, 0))`;
  const standing = await tx.approvalRule.findMany({
    where: { kind: input.kind, active: true },
    select: { id: true, condition: true },
  });
  const key = (c: unknown) => {
    const o = (c ?? {}) as Record<string, unknown>;

    return input.kind === 'HOLD_OVERRIDE' ? String(o.holdReason ?? '*') : String(o.currency);
  };

  return standing.filter((r) => key(r.condition) === key(input.condition));
}

async function deactivateIn(
  tx: Tx,
  ruleId: string,
  actor: { userId: string; requestId: string | null },
) {
  const { count } = await tx.approvalRule.updateMany({
    where: { id: ruleId, active: true },
    data: { active: false },
  });
  if (count === 0) throw new AppError('NOT_FOUND', 'No such active rule');
  await writeAudit(tx, {
    entityType: 'ApprovalRule',
    entityId: ruleId,
    action: 'approval-rule.deactivated',
    actor: { type: 'USER', id: actor.userId },
    requestId: actor.requestId,
  });
}

export async function deactivateRule(
  db: Db,
  ruleId: string,
  actor: { userId: string; requestId: string | null },
) {
  return db.$transaction(async (tx) => {
    await deactivateIn(tx, ruleId, actor);

    return { id: ruleId, active: false };
  });
}
