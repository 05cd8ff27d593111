import { createHash, randomUUID } from 'node:crypto';
import type { Tx } from '../../db/client';
import type { HoldReason } from '../../db/generated/enums';
import type { Prisma } from '../../db/generated/client';
import { sql } from '../../db/generated/internal/prismaNamespace';
import { BRANCH_TASKS, branchJob } from './branch-jobs';
import { jobSpecsJson, type JobSpec } from '../../jobs/enqueue';
import { approvalRulesOf } from '../approvals/load-rules';
import { raiseApprovalRequests } from '../approvals/raise-requests';
import { endOverrides, standingOverrides } from '../approvals/hold-overrides';
import { canonicalJson } from '../audit/canonical-json';
import { openException, resolveByFacts } from '../exceptions/open-exception';
import { planTrips, runKey, tripOf } from '../dispatch/candidate-trips';
import type { PlannedDeparture } from '../dispatch/departures';
import { decimal } from '../../lib/money';
import { checksBeforeCredit, finishGate, GATE_RULE_VERSION, type ChecksBeforeCredit } from './gate';
import { loadGateInput, type GateInputBeforeCredit, type GateState } from './load-gate-input';
import {
  bookOf,
  boundCredit,
  exposureInBook,
  lockCreditBooks,
  type CreditBook,
  type CreditBounds,
} from './credit-book';
import { creditMargin } from './credit-check';
import { chainedAuditRow } from '../audit/chained-audit';
import { addWrites, noWrites, writesSql, type ApplyWrites } from '../shipments/apply-writes';
import { applyOverrides } from './overrides';
import type { RouteResult } from './route-check';
import { asCtes, rawQuery } from '../../db/transaction-sql';
import type { CheckResult, GateDecision, GateInput } from './types';

// Runs the gate for one staged shipment and writes what it decided: the decision record, one
// hold per failed check, one exception per failure routed to its owning team (resolved again
// when a later run passes the check), and, on the way into READY, the three branches that start
// in parallel as independent durable jobs. The shipment's own row is the caller's one update of
// its apply, from the readiness this answers: made in the decision's statement when the caller
// hands it over (ctx.writes), else by the caller.
// Everything that does not depend on the credit exposure is read and written before the
// customer's credit lock (prepareReadiness, then decideReadiness), so that the lock (which
// serialises the customer's decisions) is held over the decision's own writes only: for a shipment that passes, the lock with the exposure
// read, then one statement (decision, branch jobs, audit row, shipment row), then the commit.

export const GATE_HOLDS: HoldReason[] = [
  'QUANTITY_VARIANCE',
  'INVENTORY_UNCONFIRMED',
  'CREDIT',
  'DANGEROUS_GOODS_DOCUMENT',
  'ROUTE_INELIGIBLE',
  'AWAITING_APPROVAL',
];

export const GATE_EXCEPTION_TYPES = [
  'QUANTITY_VARIANCE',
  'INVENTORY_UNCONFIRMED',
  'MISSING_DOCUMENT',
  'CREDIT_HOLD',
  'ROUTE_INELIGIBLE',
  'APPROVAL_REQUIRED',
] as const;

export interface ReadinessContext {
  trigger: string;
  /**
   * The caller's last writes for a recorded decision (the shipment's row, its events'
   * dispositions), made in the decision's own statement.
   */
  writes?: (write: ReadinessWrite) => ApplyWrites;
  /** Decisions made together: their customers' credit books, and where their writes go. */
  together?: DecidingTogether;
}

/**
 * Several shipments decided in one transaction (applies made together): the credit lock of
 * each of their customers taken and its exposure read once, in one statement (the books, kept
 * current by the caller as each decision is made), the decisions' writes and the branch jobs
 * of those into READY made in one statement after the last of them (enqueue_jobs locks job
 * keys to the commit, in one order within a call only), their holds after that.
 */
export interface DecidingTogether {
  /** By customer id. */
  books: ReadonlyMap<string, CreditBook>;
  /**
   * Present when the books were read without the credit locks: each credit verdict bounds how
   * far its customer's exposure may move before the confirmation under the lock (credit-book.ts).
   */
  bounds?: CreditBounds;
  /** The writes of every decision, made in one statement once the last is made. */
  writes: ApplyWrites;
  /** What waits for those writes: the holds name their decision's row. */
  after: (() => Promise<void>)[];
  jobs: JobSpec[];
}

/** What the decision changes on the shipment's row. */
export interface ReadinessWrite {
  readiness: 'READY' | 'HELD';
  readyAt: Date | null;
  heldAt: Date | null;
  plannedTripId: string | null;
  /** A shipment that lost readiness gives its slot back. */
  clearSlot: boolean;
}

export interface ReadinessOutcome {
  outcome: 'PASS' | 'HOLD';
  /** False when the facts were the same as at the last run: nothing was written. */
  recorded: boolean;
  write: ReadinessWrite | null;
  /** Whether ctx.writes were made. */
  writesMade: boolean;
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

const sameRun = (a: PlannedDeparture, b: PlannedDeparture) =>
  a.departureId === b.departureId && a.serviceDate === b.serviceDate;

/** What the checks before the credit lock are given for an exposure they do not read. */
const NO_EXPOSURE = {
  currency: 'XXX',
  releasedUnpaid: decimal(0),
  shippedOrReadyNotInvoiced: decimal(0),
  thisShipment: decimal(0),
};

/** What the gate reads and makes before the customer's credit lock. */
export interface PreparedReadiness {
  state: GateState;
  before: GateInputBeforeCredit;
  overrides: Awaited<ReturnType<typeof standingOverrides>>;
  checks: ChecksBeforeCredit;
  route: RouteResult;
  /** The planned departure's trip, once planPreparedTrips has made sure of it. */
  tripId?: string;
}

/**
 * The part of a gate run that needs no credit lock: its input, standing overrides and route.
 * Applies made together prepare all of their shipments, make their trips (planPreparedTrips),
 * then decide them.
 */
export async function prepareReadiness(tx: Tx, state: GateState): Promise<PreparedReadiness> {
  const before = await loadGateInput(tx, state);
  const overrides = state.standingOverrides ? await standingOverrides(tx, state.shipment.id) : [];
  // Route eligibility and the other checks that do not read the exposure run the same with none.
  const checks = checksBeforeCredit({ ...before, exposure: NO_EXPOSURE });

  return { state, before, overrides, checks, route: checks.route };
}

/**
 * The planned trips of prepared runs, made in one statement (planTrips), before any of them
 * takes its customer's credit lock: a transaction makes its new trips first and in one order.
 */
export async function planPreparedTrips(
  tx: Tx,
  prepared: readonly PreparedReadiness[],
): Promise<void> {
  const runs = prepared.flatMap((p) =>
    p.route.plannedDeparture ? [p.route.plannedDeparture] : [],
  );
  if (runs.length === 0) return;
  const trips = await planTrips(tx, runs);
  for (const p of prepared)
    if (p.route.plannedDeparture) p.tripId = trips.get(runKey(p.route.plannedDeparture))!;
}

/** The rest of the run, from the customer's credit lock, held to the commit, on. */
export async function decideReadiness(
  tx: Tx,
  prepared: PreparedReadiness,
  ctx: ReadinessContext,
): Promise<ReadinessOutcome> {
  const { state, overrides, route } = prepared;
  const { thisShipment, ...before } = prepared.before;
  const shipmentId = state.shipment.id;
  const approvalRules = approvalRulesOf(state.approvals);
  if (route.plannedDeparture && !prepared.tripId) await planPreparedTrips(tx, [prepared]);
  let tripId = prepared.tripId ?? null;
  const chain = state.auditHead;

  const together = ctx.together;
  // One at a time, the customer's credit lock and book are taken here, for this shipment only.
  const books =
    together?.books ??
    (await lockCreditBooks(tx, [{ id: shipmentId, customerId: before.customer.id }]));
  const exposure = exposureInBook(
    bookOf(books, before.customer.id),
    shipmentId,
    before.customer.currency,
    thisShipment,
  );
  const input: GateInput = { ...before, exposure };
  const gated = finishGate(input, prepared.checks, {
    ruleVersion: GATE_RULE_VERSION,
    approvalRules,
  });
  if (together?.bounds) {
    const credit = gated.checks.find((c) => c.check === 'CREDIT')!;
    boundCredit(together.bounds, before.customer.id, credit.verdict, creditMargin(input));
  }
  const { decision, outcomes } = applyOverrides(gated, overrides);
  await endOverrides(tx, shipmentId, outcomes);
  // Before the unchanged-facts shortcut: a rule added since the last run still raises its request.
  await raiseApprovalRequests(tx, shipmentId, decision.checks);
  const planned = decision.plannedDeparture;
  const print = fingerprint(decision.outcome, decision.checks, planned);
  if (state.lastFingerprint === print)
    return { outcome: decision.outcome, recorded: false, write: null, writesMade: false };

  const checks = {
    fingerprint: print,
    items: decision.checks,
    plannedDeparture: planned ?? null,
    backorder: backorderJson(decision),
  };
  await syncExceptions(tx, state, decision.checks);
  if (!planned) tripId = null;
  else if (!route.plannedDeparture || !sameRun(planned, route.plannedDeparture))
    tripId = await tripOf(tx, planned);
  const { write, audit } = await applyOutcome(tx, state, decision, tripId);
  const decisionId = randomUUID();
  // On the way into READY the branch jobs are enqueued in the decision's own statement, with
  // its audit row and the caller's writes: one round trip while the credit lock is held.
  const branches = becomesReady(state, decision) ? branchJobs(shipmentId) : [];
  const writes = addWrites(ctx.writes?.(write) ?? noWrites(), {
    ...noWrites(),
    decisions: [
      {
        id: decisionId,
        shipment_id: shipmentId,
        outcome: decision.outcome,
        checks,
        rule_version: decision.ruleVersion,
        trigger: ctx.trigger,
      },
    ],
    audits: [
      chainedAuditRow(chain, {
        entityType: 'Shipment',
        entityId: shipmentId,
        action: audit.action,
        actor: { type: 'SYSTEM', id: null },
        data: audit.data,
      }),
    ],
  });
  // Holds name the decision that placed them: after its row.
  const holds = () => syncHolds(tx, state, decision, decisionId);
  if (together) {
    addWrites(together.writes, writes);
    together.jobs.push(...branches);
    together.after.push(holds);
  } else {
    await rawQuery(
      tx,
      sql`WITH ${asCtes(writesSql(writes))} SELECT enqueue_jobs(${jobSpecsJson(branches)}::json) AS jobs`,
    );
    await holds();
  }

  return { outcome: decision.outcome, recorded: true, write, writesMade: true };
}

const becomesReady = (state: GateState, decision: GateDecision) =>
  decision.outcome === 'PASS' && state.shipment.readiness !== 'READY';

/** Three independent jobs: one branch failing never blocks another. */
function branchJobs(shipmentId: string) {
  return BRANCH_TASKS.map((task) => branchJob(task, shipmentId));
}

function backorderJson(decision: GateDecision) {
  return (decision.backorder ?? []).map((b) => ({ ...b, quantity: b.quantity.toString() }));
}

async function syncHolds(
  tx: Tx,
  state: GateState,
  decision: GateDecision,
  decisionId: string,
): Promise<void> {
  const shipmentId = state.shipment.id;
  const open = state.openHolds;
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

async function syncExceptions(tx: Tx, state: GateState, checks: CheckResult[]): Promise<void> {
  const { id, siteId } = state.shipment;
  const key = (type: string) => `shipment:${id}:${type}`;
  const passed = checks
    .filter((c) => c.verdict === 'PASS' && c.exceptionType)
    .map((c) => key(c.exceptionType!));
  const failingTypes = new Set(
    checks.filter((c) => c.verdict === 'FAIL').map((c) => c.exceptionType),
  );
  const cleared = GATE_EXCEPTION_TYPES.filter((t) => !failingTypes.has(t)).map(key);
  // Only what is open under those keys (read with the shipment, under its row lock) can resolve.
  const open = [...new Set([...passed, ...cleared])].filter((k) => state.openKeys.has(k));
  await resolveByFacts(tx, open, 'a later readiness run passed this check');
  for (const check of checks.filter((c) => c.verdict === 'FAIL' && c.exceptionType)) {
    await openException(tx, {
      type: check.exceptionType!,
      ownerTeam: check.ownerTeam,
      siteId,
      shipmentId: id,
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

/** What the decision changes on the shipment, and its audit entry. */
async function applyOutcome(
  tx: Tx,
  state: GateState,
  decision: GateDecision,
  tripId: string | null,
): Promise<{ write: ReadinessWrite; audit: { action: string; data: unknown } }> {
  const shipment = state.shipment;
  const ready = decision.outcome === 'PASS';
  const now = new Date();
  if (!ready && shipment.readiness === 'READY') {
    // A late fact took readiness away: the booked slot is given back for others.
    await tx.dispatchBooking.updateMany({
      where: { shipmentId: shipment.id, status: 'BOOKED' },
      data: { status: 'CANCELLED', cancelledAt: now },
    });
  }

  return {
    write: {
      readiness: ready ? 'READY' : 'HELD',
      readyAt: ready ? (shipment.readyAt ?? now) : null,
      heldAt: ready ? null : now,
      plannedTripId: tripId ?? shipment.plannedTripId,
      clearSlot: !ready,
    },
    audit: {
      action: ready ? 'readiness.ready' : 'readiness.held',
      data: { holds: decision.holds.map((h) => h.reason), ruleVersion: decision.ruleVersion },
    },
  };
}
