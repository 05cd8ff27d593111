import { createHash } from 'node:crypto';
import type { Tx } from '../../db/client';
import type { HoldReason } from '../../db/generated/enums';
import type { Prisma } from '../../db/generated/client';
import { enqueueJobs } from '../../jobs/enqueue';
import { writeAudit } from '../audit/write-audit';
import { loadApprovalRules } from '../approvals/load-rules';
import { raiseApprovalRequests } from '../approvals/raise-requests';
import { endOverrides, standingOverrides } from '../approvals/hold-overrides';
import { canonicalJson } from '../audit/canonical-json';
import { openException, resolveByFacts } from '../exceptions/open-exception';
import { ensureTrip } from '../dispatch/candidate-trips';
import type { PlannedDeparture } from '../dispatch/departures';
import { GATE_RULE_VERSION, runGate } from './gate';
import { loadGateInput } from './load-gate-input';
import { applyOverrides } from './overrides';
import type { CheckResult, GateDecision } from './types';

// Runs the gate for one staged shipment and writes what it decided: the decision record, one
// hold per failed check, one exception per failure routed to its owning team (resolved again
// when a later run passes the check), and, on the way into READY, the three branches that start
// in parallel as independent durable jobs.

export const BRANCH_TASKS = [
  'slot_shipment',
  'prevalidate_billing',
  'publish_shipment_record',
] as const;

const GATE_HOLDS: HoldReason[] = [
  'QUANTITY_VARIANCE',
  'INVENTORY_UNCONFIRMED',
  'CREDIT',
  'DANGEROUS_GOODS_DOCUMENT',
  'ROUTE_INELIGIBLE',
  'AWAITING_APPROVAL',
];

export interface ReadinessContext {
  trigger: string;
  /** Order lines with a pick-completed fact (the warehouse confirmed them). */
  pickedLineIds: Set<string>;
}

export interface ReadinessOutcome {
  outcome: 'PASS' | 'HOLD';
  /** False when the facts were the same as at the last run: nothing was written. */
  recorded: boolean;
}

function fingerprint(
  outcome: string,
  checks: unknown,
  planned: PlannedDeparture | undefined,
): string {
  return createHash('sha256')
    .update(canonicalJson({ outcome, checks, planned: planned ?? null }))
    .digest('hex');
}

export async function evaluateReadiness(
  tx: Tx,
  shipmentId: string,
  ctx: ReadinessContext,
): Promise<ReadinessOutcome> {
  const shipment = await tx.shipment.findUniqueOrThrow({
    where: { id: shipmentId },
    select: {
      id: true,
      siteId: true,
      readiness: true,
      readyAt: true,
      plannedTripId: true,
    },
  });
  const input = await loadGateInput(tx, shipmentId, ctx.pickedLineIds);
  const gated = runGate(input, {
    ruleVersion: GATE_RULE_VERSION,
    approvalRules: await loadApprovalRules(tx, shipmentId),
  });
  const { decision, outcomes } = applyOverrides(gated, await standingOverrides(tx, shipmentId));
  await endOverrides(tx, shipmentId, outcomes);
  // Before the unchanged-facts shortcut: a rule added since the last run still raises its request.
  await raiseApprovalRequests(tx, shipmentId, decision.checks);
  const last = await tx.readinessDecision.findFirst({
    where: { shipmentId },
    orderBy: { decidedAt: 'desc' },
  });
  const planned = decision.plannedDeparture;
  const print = fingerprint(decision.outcome, decision.checks, planned);
  if (last && (last.checks as { fingerprint?: string }).fingerprint === print)
    return { outcome: decision.outcome, recorded: false };

  const record = await tx.readinessDecision.create({
    data: {
      shipmentId,
      outcome: decision.outcome,
      ruleVersion: decision.ruleVersion,
      trigger: ctx.trigger,
      checks: {
        fingerprint: print,
        items: decision.checks,
        plannedDeparture: planned ?? null,
        backorder: backorderJson(decision),
      } as unknown as Prisma.InputJsonValue,
    },
    select: { id: true },
  });
  await syncHolds(tx, shipmentId, decision, record.id);
  await syncExceptions(tx, shipment, decision.checks);
  await applyOutcome(tx, shipment, decision, planned ? await ensureTrip(tx, planned) : null);

  return { outcome: decision.outcome, recorded: true };
}

function backorderJson(decision: GateDecision) {
  return (decision.backorder ?? []).map((b) => ({ ...b, quantity: b.quantity.toString() }));
}

async function syncHolds(
  tx: Tx,
  shipmentId: string,
  decision: GateDecision,
  decisionId: string,
): Promise<void> {
  const open = await tx.hold.findMany({
    where: { shipmentId, releasedAt: null, reason: { in: GATE_HOLDS } },
  });
  const failing = new Map(decision.holds.map((h) => [h.reason as HoldReason, h.detail]));
  const released = open.filter((h) => !failing.has(h.reason)).map((h) => h.id);
  if (released.length > 0)
    await tx.hold.updateMany({ where: { id: { in: released } }, data: { releasedAt: new Date() } });
  for (const [reason, detail] of failing) {
    const standing = open.find((h) => h.reason === reason);
    if (standing)
      await tx.hold.update({ where: { id: standing.id }, data: { detail, decisionId } });
    else await tx.hold.create({ data: { shipmentId, reason, detail, decisionId } });
  }
}

async function syncExceptions(
  tx: Tx,
  shipment: { id: string; siteId: string },
  checks: CheckResult[],
): Promise<void> {
  const key = (type: string) => `shipment:${shipment.id}:${type}`;
  const passed = checks
    .filter((c) => c.verdict === 'PASS' && c.exceptionType)
    .map((c) => key(c.exceptionType!));
  const allTypes = [
    'QUANTITY_VARIANCE',
    'INVENTORY_UNCONFIRMED',
    'MISSING_DOCUMENT',
    'CREDIT_HOLD',
    'ROUTE_INELIGIBLE',
    'APPROVAL_REQUIRED',
  ];
  const failingTypes = new Set(
    checks.filter((c) => c.verdict === 'FAIL').map((c) => c.exceptionType),
  );
  const cleared = allTypes.filter((t) => !failingTypes.has(t as never)).map(key);
  await resolveByFacts(
    tx,
    [...new Set([...passed, ...cleared])],
    'a later readiness run passed this check',
  );
  for (const check of checks.filter((c) => c.verdict === 'FAIL' && c.exceptionType)) {
    await openException(tx, {
      type: check.exceptionType!,
      ownerTeam: check.ownerTeam,
      siteId: shipment.siteId,
      shipmentId: shipment.id,
      dedupeKey: key(check.exceptionType!),
      title: check.reason,
      detail: {
        check: check.check,
        inputs: check.inputs,
        details: check.details,
      } as unknown as Prisma.InputJsonValue,
    });
  }
}

type ShipmentRow = {
  id: string;
  readiness: string;
  readyAt: Date | null;
  plannedTripId: string | null;
};

async function applyOutcome(
  tx: Tx,
  shipment: ShipmentRow,
  decision: GateDecision,
  tripId: string | null,
): Promise<void> {
  const ready = decision.outcome === 'PASS';
  const becameReady = ready && shipment.readiness !== 'READY';
  const now = new Date();
  await tx.shipment.update({
    where: { id: shipment.id },
    data: {
      readiness: ready ? 'READY' : 'HELD',
      readyAt: ready ? (shipment.readyAt ?? now) : null,
      heldAt: ready ? null : now,
      plannedTripId: tripId ?? shipment.plannedTripId,
      ...(ready ? {} : { slottedAt: null }),
    },
  });
  if (!ready && shipment.readiness === 'READY') {
    // A late fact took readiness away: the booked slot is given back for others.
    await tx.dispatchBooking.updateMany({
      where: { shipmentId: shipment.id, status: 'BOOKED' },
      data: { status: 'CANCELLED', cancelledAt: now },
    });
  }
  if (becameReady) {
    // Three independent jobs: one branch failing never blocks another.
    await enqueueJobs(
      tx,
      BRANCH_TASKS.map((task) => ({
        task,
        payload: { shipmentId: shipment.id },
        jobKey: `${task}:${shipment.id}`,
        maxAttempts: 8,
      })),
    );
  }
  await writeAudit(tx, {
    entityType: 'Shipment',
    entityId: shipment.id,
    action: ready ? 'readiness.ready' : 'readiness.held',
    actor: { type: 'SYSTEM', id: null },
    data: { holds: decision.holds.map((h) => h.reason), ruleVersion: decision.ruleVersion },
  });
}
