import { z } from 'zod';
import type { Db } from '../../db/client';
import { AppError } from '../../lib/errors';
import { writeAudit } from '../audit/write-audit';

// Admins create and deactivate approval rules; a rule is never edited in place, so the requests
// raised under it keep meaning what they meant. Deactivating one lets the next gate run pass
// shipments it was holding (their facts change on the next apply of each shipment).

const amount = z.string().regex(/^\d+(\.\d+)?$/, 'a decimal amount, e.g. "50000" or "12.5"');
const role = z.enum([
  'WAREHOUSE_SUPERVISOR',
  'DISPATCHER',
  'BILLING_ANALYST',
  'EXECUTIVE',
  'ADMIN',
]);
const level = z.enum(['MEMBER', 'TEAM_LEAD', 'SITE_MANAGER']);

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
]);

export type RuleInput = z.infer<typeof ruleInput>;

export async function createRule(
  db: Db,
  input: RuleInput,
  actor: { userId: string; requestId: string | null },
) {
  return db.$transaction(async (tx) => {
    const rule = await tx.approvalRule.create({ data: input });
    await writeAudit(tx, {
      entityType: 'ApprovalRule',
      entityId: rule.id,
      action: 'approval-rule.created',
      actor: { type: 'USER', id: actor.userId },
      requestId: actor.requestId,
      data: input,
    });

    return rule;
  });
}

export async function deactivateRule(
  db: Db,
  ruleId: string,
  actor: { userId: string; requestId: string | null },
) {
  return db.$transaction(async (tx) => {
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

    return { id: ruleId, active: false };
  });
}
