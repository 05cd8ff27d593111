import { randomUUID } from 'node:crypto';
import type { ExceptionType, HoldReason, Severity, TeamKind } from '../db/generated/enums';
import { addEvent, HOUR, memberOf, MINUTE, newException, type SimContext } from './history-context';
import type { SimDecision, SimHold, SimShipment } from './history-types';
import { attachDgDeclarations, measure } from './history-floor';

// The readiness gate as it decided: quantity, inventory, credit, dangerous-goods paperwork and
// route. A failed check holds the shipment and raises an exception for the owning team; most
// holds are released when the team resolves it, a few are still open at `now`.

export const RULE_VERSION = 'seed-1';
const STUCK = 0.03;
const RANDOM_CREDIT_HOLD = 0.006;
/** How long before `now` a slow payer's shipments started to be held for credit. */
const OVER_LIMIT_SINCE = 36 * HOUR;

export interface GateFacts {
  short: boolean;
  documentMissing: boolean;
  pickEventId: string;
  stageEventId: string;
}

interface HoldSpec {
  reason: HoldReason;
  type: ExceptionType;
  owner: TeamKind;
  severity: Severity;
  detail: string;
  eventId: string;
  /** Open minutes to resolve; undefined: not resolved by now. */
  minutes?: number;
  codes: string[];
}

function shortDetail(s: SimShipment): string {
  return s.lines
    .filter((l) => l.pickedBase < l.orderedBase)
    .map((l) => `line ${l.lineNo} ${l.sku.code}: picked ${l.pickedBase} of ${l.orderedBase} EA`)
    .join('; ');
}

function holdSpecs(ctx: SimContext, s: SimShipment, at: number, facts: GateFacts): HoldSpec[] {
  const { rng } = ctx;
  const stuck = () => rng.chance(STUCK);
  const specs: HoldSpec[] = [];
  if (facts.short && !s.customer.allowsPartial) {
    const severity: Severity = s.dangerousGoods || Number(s.goodsValue) > 10_000 ? 'HIGH' : 'MEDIUM';
    const minutes = stuck() ? undefined : rng.skewed(20, 300);
    specs.push({ reason: 'QUANTITY_VARIANCE', type: 'QUANTITY_VARIANCE', owner: 'WAREHOUSE', severity, detail: shortDetail(s), eventId: facts.pickEventId, minutes, codes: ['REPICKED', 'REPICKED', 'SHORT_APPROVED'] });
  }
  if (facts.documentMissing) {
    const minutes = stuck() ? undefined : rng.skewed(15, 240);
    specs.push({ reason: 'DANGEROUS_GOODS_DOCUMENT', type: 'MISSING_DOCUMENT', owner: 'WAREHOUSE', severity: 'HIGH', detail: 'Dangerous goods declaration missing', eventId: facts.stageEventId, minutes, codes: ['DOCUMENT_RECEIVED'] });
  }
  const overLimit = s.customer.payProfile === 'SLOW' && at >= ctx.now - OVER_LIMIT_SINCE;
  if (overLimit || rng.chance(RANDOM_CREDIT_HOLD)) {
    const minutes = overLimit || stuck() ? undefined : rng.skewed(60, 1_440);
    specs.push({ reason: 'CREDIT', type: 'CREDIT_HOLD', owner: 'BILLING', severity: 'HIGH', detail: `Customer ${s.customer.code} is over its credit limit`, eventId: facts.stageEventId, minutes, codes: ['PAYMENT_RECEIVED', 'CREDIT_OVERRIDE'] });
  }

  return specs;
}

function checksOf(s: SimShipment, specs: HoldSpec[], facts: GateFacts): Record<string, unknown>[] {
  const failed = new Set(specs.map((h) => h.reason));

  return [
    { check: 'QUANTITY', passed: !failed.has('QUANTITY_VARIANCE'), short: facts.short, allowsPartial: s.customer.allowsPartial },
    { check: 'INVENTORY', passed: true },
    { check: 'CREDIT', passed: !failed.has('CREDIT') },
    { check: 'DANGEROUS_GOODS_DOCUMENT', passed: !failed.has('DANGEROUS_GOODS_DOCUMENT'), required: s.dangerousGoods },
    { check: 'ROUTE', passed: true, route: s.route.code },
  ];
}

function decide(s: SimShipment, at: number, trigger: string, checks: Record<string, unknown>[]): SimDecision {
  const outcome = checks.every((c) => c.passed) ? 'PASS' : 'HOLD';
  const decision: SimDecision = { id: randomUUID(), outcome, trigger, at, checks };
  s.decisions.push(decision);

  return decision;
}

/** What resolving the hold changed on the floor: a re-pick or the missing declaration. */
function applyResolution(s: SimShipment, hold: SimHold, code: string, placedAt: number): void {
  const at = hold.releasedAt as number;
  if (hold.reason === 'QUANTITY_VARIANCE' && code === 'REPICKED') {
    for (const l of s.lines) l.pickedBase = l.orderedBase;
    measure(s);
    const lines = s.lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku.code, quantity: String(l.pickedBase), uom: 'EA', lot: l.lot, location: l.location }));
    addEvent(s, 'PICK_COMPLETED', Math.max(placedAt + MINUTE, at - 5 * MINUTE), { lines, correction: true });
  }
  if (hold.reason === 'DANGEROUS_GOODS_DOCUMENT') attachDgDeclarations(s, Math.max(placedAt + MINUTE, at - 2 * MINUTE));
}

function placeHold(ctx: SimContext, s: SimShipment, spec: HoldSpec, decision: SimDecision, at: number): SimHold {
  const resolvedAt = spec.minutes === undefined ? Infinity : s.site.calendar.addOpenMinutes(at, spec.minutes);
  const resolved = resolvedAt <= ctx.now;
  const code = ctx.rng.pick(spec.codes);
  const exception = newException({
    type: spec.type,
    severity: spec.severity,
    ownerTeam: spec.owner,
    site: s.site,
    shipmentId: s.id,
    eventId: spec.eventId,
    title: `${s.ref}: ${spec.detail}`,
    detail: { shipmentRef: s.ref, reason: spec.reason, detail: spec.detail },
    openedAt: at,
    waits: spec.type === 'CREDIT_HOLD',
    ...(resolved ? { resolvedAt, resolutionCode: code, resolutionNote: `Resolved: ${code.toLowerCase().replaceAll('_', ' ')}` } : {}),
  });
  s.exceptions.push(exception);
  const hold: SimHold = { id: randomUUID(), reason: spec.reason, detail: spec.detail, decisionId: decision.id, placedAt: at, exception };
  if (resolved) {
    hold.releasedAt = resolvedAt;
    hold.releasedById = memberOf(ctx, exception);
    applyResolution(s, hold, code, at);
  }

  return hold;
}

/** Ready: planned on the route's next departure whose cut-off it makes, then slotted. */
function markReady(ctx: SimContext, s: SimShipment, at: number): void {
  s.t.ready = at;
  const trip = ctx.trips.next(s.route, at);
  if (!trip) return;
  s.trip = trip;
  // Dispatch books a departure's loads a few hours ahead, or at once when it is close.
  const slotted = Math.max(at + ctx.rng.int(2, 15) * MINUTE, trip.departsAt - ctx.rng.int(180, 300) * MINUTE);
  if (slotted > ctx.now) return;
  s.t.slotted = slotted;
  s.booking = { id: randomUUID(), bookedAt: slotted, slotStart: 0, slotEnd: 0, loadedAt: 0 };
  trip.booked.push(s);
}

export function runGate(ctx: SimContext, s: SimShipment, at: number, facts: GateFacts): void {
  const specs = holdSpecs(ctx, s, at, facts);
  const decision = decide(s, at, 'PACKED_STAGED', checksOf(s, specs, facts));
  if (specs.length === 0) return markReady(ctx, s, at);
  s.t.held = at;
  s.holds = specs.map((spec) => placeHold(ctx, s, spec, decision, at));
  if (s.holds.some((h) => h.releasedAt === undefined)) return;
  const releasedAt = Math.max(...s.holds.map((h) => h.releasedAt as number)) + MINUTE;
  if (releasedAt > ctx.now) return;
  const short = s.lines.some((l) => l.pickedBase < l.orderedBase);
  decide(s, releasedAt, 'HOLD_RELEASED', checksOf(s, [], { ...facts, short, documentMissing: false }));
  markReady(ctx, s, releasedAt);
}
