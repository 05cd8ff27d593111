import type { Tx } from '../../db/client';
import type { ApprovalKind } from '../../db/generated/enums';
import type { CheckResult } from '../readiness/types';
import { openRequest } from './open-request';

// A failing approval check with no request yet raises one PENDING request for the shipment and
// rule (open-request.ts: due in business hours, an overdue timer, the approvers told). Requests
// raised by the gate are system-raised: no requester.

export { APPROVAL_OVERDUE_TASK, overdueJobKey } from './open-request';

/** Raises the missing requests of the failing approval checks; returns how many it created. */
export async function raiseApprovalRequests(
  tx: Tx,
  shipmentId: string,
  checks: readonly CheckResult[],
  now: Date = new Date(),
): Promise<number> {
  const missing = checks.filter(
    (c) => c.check === 'APPROVAL' && c.verdict === 'FAIL' && c.inputs.request === null,
  );
  let created = 0;
  for (const check of missing) {
    if (await raiseOne(tx, shipmentId, check, now)) created += 1;
  }

  return created;
}

async function raiseOne(tx: Tx, shipmentId: string, check: CheckResult, now: Date) {
  const ruleId = String(check.inputs.ruleId);
  // Two runs for one shipment at once must not both raise a request.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`approval:${shipmentId}:${ruleId}`}, 0))`;
  const open = await tx.approvalRequest.findFirst({
    where: { shipmentId, ruleId, status: { in: ['PENDING', 'APPROVED', 'REJECTED'] } },
    select: { id: true },
  });
  if (open) return false;

  const rule = await tx.approvalRule.findUniqueOrThrow({ where: { id: ruleId } });
  const shipment = await tx.shipment.findUniqueOrThrow({
    where: { id: shipmentId },
    select: { id: true, ref: true, siteId: true },
  });
  await openRequest(
    tx,
    {
      rule,
      shipment,
      kind: check.inputs.kind as ApprovalKind,
      reason: check.reason,
      detail: { measured: check.inputs.measured },
      requestedById: null,
      title: `Approval needed: ${shipment.ref}`,
    },
    now,
  );

  return true;
}
