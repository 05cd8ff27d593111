import { gateRules, type RequestState, type StoredRule } from './rules';
import type { ApprovalRule } from '../readiness/types';

/** The active shipment rules and the shipment's requests under them, as the apply reads them. */
export interface StoredApprovals {
  rules: StoredRule[];
  /** In the order they were made. */
  requests: (RequestState & { ruleId: string })[];
}

/** The rules as gate hooks, each with the shipment's latest request under it. */
export function approvalRulesOf(stored: StoredApprovals): ApprovalRule[] {
  // Later rows win: the latest request per rule is the one that counts.
  const latest = new Map<string, RequestState>(stored.requests.map((r) => [r.ruleId, r]));

  return gateRules(stored.rules, latest);
}
