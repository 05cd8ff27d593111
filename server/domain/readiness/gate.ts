// The readiness gate: every check runs on every evaluation, even after one has failed, so the
// decision record shows the whole picture and the people fixing one hold see the others too.
import { checkCompleteness } from './completeness-check';
import { checkCredit } from './credit-check';
import { checkDangerousGoods } from './dangerous-goods-check';
import { checkInventory } from './inventory-check';
import { checkRoute } from './route-check';
import type { ApprovalRule, CheckResult, GateDecision, GateHold, GateInput } from './types';

/** Bumped whenever a rule changes what it decides, so a decision names the rules that made it. */
export const GATE_RULE_VERSION = 'gate-2026.12.1';

export interface GateOptions {
  ruleVersion?: string;
  /** Approval rules run after the five checks and see their results. */
  approvalRules?: readonly ApprovalRule[];
}

// The decision record stores checks as JSON: keep only the record's own fields, never the
// typed extras (Decimal backorder quantities, Date departures) a check hands back beside it.
function recordOf(r: CheckResult): CheckResult {
  const { check, verdict, holdReason, exceptionType, ownerTeam, inputs, reason, details } = r;

  return {
    check,
    verdict,
    ...(holdReason ? { holdReason } : {}),
    ...(exceptionType ? { exceptionType } : {}),
    ownerTeam,
    inputs,
    reason,
    details,
  };
}

// The five checks always name their hold reason; an approval rule that forgets to still holds
// the shipment, as awaiting approval, rather than letting a failure pass without a hold.
function holdsOf(checks: readonly CheckResult[]): GateHold[] {
  return checks.flatMap((c) =>
    c.verdict === 'FAIL' ? [{ reason: c.holdReason ?? 'AWAITING_APPROVAL', detail: c.reason }] : [],
  );
}

export function runGate(input: GateInput, options: GateOptions = {}): GateDecision {
  return finishGate(input, checksBeforeCredit(input), options);
}

/** The checks that do not read the credit exposure, in the record's order around it. */
export interface ChecksBeforeCredit {
  completeness: ReturnType<typeof checkCompleteness>;
  inventory: CheckResult;
  dangerousGoods: CheckResult;
  route: ReturnType<typeof checkRoute>;
}

/**
 * The four checks that do not read the exposure: run before the customer's credit lock, so
 * that only the credit check and the approval rules (which see every check) run under it.
 */
export function checksBeforeCredit(input: GateInput): ChecksBeforeCredit {
  return {
    completeness: checkCompleteness(input),
    inventory: checkInventory(input),
    dangerousGoods: checkDangerousGoods(input),
    route: checkRoute(input),
  };
}

/** The gate's decision from the checks made before the credit lock and the input with it. */
export function finishGate(
  input: GateInput,
  before: ChecksBeforeCredit,
  options: GateOptions = {},
): GateDecision {
  const { completeness, route } = before;
  const checks = [
    completeness,
    before.inventory,
    checkCredit(input),
    before.dangerousGoods,
    route,
  ].map(recordOf);
  for (const rule of options.approvalRules ?? []) {
    checks.push(recordOf(rule(input, [...checks])));
  }

  const holds = holdsOf(checks);
  const outcome = checks.every((c) => c.verdict === 'PASS') ? 'PASS' : 'HOLD';

  return {
    outcome,
    checks,
    holds,
    ...(route.plannedDeparture ? { plannedDeparture: route.plannedDeparture } : {}),
    ...(completeness.backorder.length > 0 ? { backorder: completeness.backorder } : {}),
    ruleVersion: options.ruleVersion ?? GATE_RULE_VERSION,
  };
}
