import type { ApprovalKind, Role, UserLevel } from '../../db/generated/enums';
import { decimal, sum } from '../../lib/money';
import { TEAM_OF_ROLE } from '../exceptions/permissions';
import type { ApprovalRule, CheckResult, GateInput, OwnerTeam } from '../readiness/types';

// Approval rules as the gate runs them: pure functions over the gate input. A rule applies when
// its threshold is exceeded; an applying rule passes only once its request for this shipment
// has been APPROVED. Conditions are stored as JSON on approval_rules.condition:
// DANGEROUS_GOODS {"maxQuantity": "100", "dgClass"?: "3"} (base-unit quantity over the maximum),
// GOODS_VALUE {"minValue": "50000"} (goods value over the amount, in the shipment's currency).

export interface StoredRule {
  id: string;
  name: string;
  kind: ApprovalKind;
  condition: unknown;
  requiredRole: Role;
  requiredLevel: UserLevel;
}

export type DecidedStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'EXPIRED';

export interface RequestState {
  status: DecidedStatus;
  decisionNote: string | null;
}

export const SHIPMENT_KINDS: readonly ApprovalKind[] = ['DANGEROUS_GOODS', 'GOODS_VALUE'];

const LEVEL_RANK: Record<UserLevel, number> = { MEMBER: 0, TEAM_LEAD: 1, SITE_MANAGER: 2 };

export function levelAtLeast(level: UserLevel, required: UserLevel): boolean {
  return LEVEL_RANK[level] >= LEVEL_RANK[required];
}

/** The exception goes to the team of the role that must approve; others fall back to WAREHOUSE. */
export function ownerTeamOf(role: Role): OwnerTeam {
  const team = TEAM_OF_ROLE[role];

  return team === 'BILLING' || team === 'DISPATCH' ? team : 'WAREHOUSE';
}

/** Whether the rule's threshold is exceeded, and the measured amount that exceeded it. */
export function ruleApplies(
  rule: StoredRule,
  input: GateInput,
): { applies: boolean; measured: string } {
  const c = (rule.condition ?? {}) as Record<string, unknown>;
  if (rule.kind === 'GOODS_VALUE') {
    const limit = decimal(String(c.minValue ?? '0'));

    return {
      applies: input.shipment.goodsValue.gt(limit),
      measured: input.shipment.goodsValue.toString(),
    };
  }
  if (rule.kind === 'DANGEROUS_GOODS') {
    const dgClass = c.dgClass == null ? null : String(c.dgClass);
    const lines = input.lines.filter(
      (l) => l.sku.unNumber && (dgClass === null || l.sku.hazardClass === dgClass),
    );
    const quantity = sum(lines.map((l) => l.pickedQty));

    return {
      applies: quantity.gt(decimal(String(c.maxQuantity ?? '0'))),
      measured: quantity.toString(),
    };
  }

  return { applies: false, measured: '0' };
}

// A rejection holds the shipment with the decider's reason until someone asks again with a new
// reason (re-request.ts): the new request is the latest, so the check awaits approval again.
function verdictOf(rule: StoredRule, applies: boolean, request: RequestState | undefined) {
  if (!applies) return { ok: true, reason: `${rule.name}: not needed` };
  if (request?.status === 'APPROVED') return { ok: true, reason: `${rule.name}: approved` };
  if (request?.status === 'REJECTED')
    return { ok: false, reason: `${rule.name}: rejected (${request.decisionNote ?? 'no reason'})` };

  return { ok: false, reason: `${rule.name}: awaiting approval by ${rule.requiredRole}` };
}

/** One gate hook per stored rule; `requests` is the shipment's latest request per rule id. */
export function gateRules(
  rules: readonly StoredRule[],
  requests: ReadonlyMap<string, RequestState>,
): ApprovalRule[] {
  return rules.map((rule) => (input: GateInput): CheckResult => {
    const { applies, measured } = ruleApplies(rule, input);
    const request = requests.get(rule.id);
    const { ok, reason } = verdictOf(rule, applies, request);

    return {
      check: 'APPROVAL',
      verdict: ok ? 'PASS' : 'FAIL',
      holdReason: 'AWAITING_APPROVAL',
      exceptionType: 'APPROVAL_REQUIRED',
      ownerTeam: ownerTeamOf(rule.requiredRole),
      inputs: {
        ruleId: rule.id,
        kind: rule.kind,
        applies,
        measured,
        request: request?.status ?? null,
      },
      reason,
      details: [],
    };
  });
}
