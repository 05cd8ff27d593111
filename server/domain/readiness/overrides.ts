import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/canonical-json';
import type { CheckResult, GateDecision, GateHold, GateHoldReason } from './types';

// Approved manual overrides of a hold, applied to the gate's decision. An override covers the
// failure it was approved for and nothing else: it names the check's findings (its inputs and
// line details, as a fingerprint) as they stood when it was requested.
// - The check still fails with the same findings: it counts as passed, marked overridden in the
//   decision record with the override's request, approver and reason.
// - The check fails with other findings (a later fact changed what it found): the override has
//   lapsed; the check fails and holds the shipment again, its reason says why.
// - The check passes by itself: the override is spent; should the check fail again later, that
//   is a new failure and needs an override of its own.
// The gate's own approval rules (AWAITING_APPROVAL) are never overridden this way.

export const OVERRIDABLE_HOLDS: readonly GateHoldReason[] = [
  'QUANTITY_VARIANCE',
  'INVENTORY_UNCONFIRMED',
  'CREDIT',
  'DANGEROUS_GOODS_DOCUMENT',
  'ROUTE_INELIGIBLE',
];

export interface StandingOverride {
  requestId: string;
  holdReason: GateHoldReason;
  findings: string;
  approvedById: string | null;
  reason: string;
}

export type OverrideState = 'applied' | 'lapsed' | 'spent';

export interface OverrideOutcome {
  requestId: string;
  state: OverrideState;
}

/** The fingerprint of what a check found, as an override names it (its own marks left out). */
export function findingsOf(check: Pick<CheckResult, 'check' | 'inputs' | 'details'>): string {
  const { override: _o, lapsedOverride: _l, ...inputs } = check.inputs;

  return createHash('sha256')
    .update(canonicalJson({ check: check.check, inputs, details: check.details }))
    .digest('hex');
}

function judge(check: CheckResult, override: StandingOverride): OverrideState {
  if (check.verdict === 'PASS') return 'spent';

  return findingsOf(check) === override.findings ? 'applied' : 'lapsed';
}

function overridden(check: CheckResult, o: StandingOverride): CheckResult {
  return {
    ...check,
    verdict: 'PASS',
    inputs: {
      ...check.inputs,
      override: { requestId: o.requestId, approvedById: o.approvedById, reason: o.reason },
    },
    reason: `${check.reason} (overridden: ${o.reason})`,
  };
}

function lapsed(check: CheckResult, o: StandingOverride): CheckResult {
  return {
    ...check,
    inputs: { ...check.inputs, lapsedOverride: o.requestId },
    reason: `${check.reason} (override lapsed: the check's findings changed since it was approved)`,
  };
}

function holdsOf(checks: readonly CheckResult[]): GateHold[] {
  return checks.flatMap((c) =>
    c.verdict === 'FAIL' ? [{ reason: c.holdReason ?? 'AWAITING_APPROVAL', detail: c.reason }] : [],
  );
}

export function applyOverrides(
  decision: GateDecision,
  overrides: readonly StandingOverride[],
): { decision: GateDecision; outcomes: OverrideOutcome[] } {
  if (overrides.length === 0) return { decision, outcomes: [] };
  const outcomes: OverrideOutcome[] = [];
  const checks = decision.checks.map((check) => {
    if (check.check === 'APPROVAL' || !check.holdReason) return check;
    let result = check;
    for (const o of overrides.filter((x) => x.holdReason === check.holdReason)) {
      const state = judge(check, o);
      outcomes.push({ requestId: o.requestId, state });
      if (state === 'applied' && result.verdict === 'FAIL') result = overridden(check, o);
      if (state === 'lapsed' && result.verdict === 'FAIL') result = lapsed(result, o);
    }

    return result;
  });
  // An override whose check did not run at all (none names its hold) has nothing left to cover.
  for (const o of overrides) {
    if (!outcomes.some((x) => x.requestId === o.requestId))
      outcomes.push({ requestId: o.requestId, state: 'spent' });
  }

  return {
    decision: {
      ...decision,
      checks,
      holds: holdsOf(checks),
      outcome: checks.every((c) => c.verdict === 'PASS') ? 'PASS' : 'HOLD',
    },
    outcomes,
  };
}
