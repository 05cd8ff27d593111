import type { Tx } from '../../db/client';
import { gateRules, SHIPMENT_KINDS, type RequestState } from './rules';
import type { ApprovalRule } from '../readiness/types';

/** The active shipment rules and this shipment's latest request per rule, as gate hooks. */
export async function loadApprovalRules(tx: Tx, shipmentId: string): Promise<ApprovalRule[]> {
  const rules = await tx.approvalRule.findMany({
    where: { active: true, kind: { in: [...SHIPMENT_KINDS] } },
    orderBy: { createdAt: 'asc' },
  });
  const requests = await tx.approvalRequest.findMany({
    where: { shipmentId, ruleId: { in: rules.map((r) => r.id) } },
    orderBy: { createdAt: 'asc' },
    select: { ruleId: true, status: true, decisionNote: true },
  });
  // Later rows win: the latest request per rule is the one that counts.
  const latest = new Map<string, RequestState>(requests.map((r) => [r.ruleId!, r]));

  return gateRules(rules, latest);
}
