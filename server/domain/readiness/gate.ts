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
  const completeness = checkCompleteness(input);
  const route = checkRoute(input);
  const checks = [
    completeness,
    checkInventory(input),
    checkCredit(input),
    checkDangerousGoods(input),
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
