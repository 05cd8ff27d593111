import { randomUUID } from 'node:crypto';
import type { ExceptionType, HoldReason, Severity, TeamKind } from '../db/generated/enums';
import type { CheckName } from '../domain/readiness/types';
import { addEvent, HOUR, memberOf, MINUTE, newException, type SimContext } from './history-context';
import { attachDgDeclarations, decimalText, measure, pickedLines } from './history-floor';
import type { SimDecision, SimHold, SimShipment, SimTrip } from './history-types';

// The readiness gate as it decided, recorded in the gate's own format (one item per check:
// completeness, inventory, credit, dangerous goods, route). A failed check holds the shipment
// and raises an exception for the owning team; most holds are released when the team resolves
// it, a few are still open at `now`.

/** Not the product gate's version: these decisions were made by the seed's simulation. */
export const SEED_RULE_VERSION = 'seed-1';
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

interface Failure {
  check: CheckName;
  reason: HoldReason;
  type: ExceptionType;
  owner: TeamKind;
  severity: Severity;
  eventId: string;
  /** Open minutes to resolve; undefined: not resolved by now. */
  minutes?: number;
  codes: string[];
}

interface CheckSpec {
  check: CheckName;
  holdReason: HoldReason;
  exceptionType: ExceptionType;
  ownerTeam: TeamKind;
}

const CHECKS: CheckSpec[] = [
  {
    check: 'COMPLETENESS',
    holdReason: 'QUANTITY_VARIANCE',
    exceptionType: 'QUANTITY_VARIANCE',
    ownerTeam: 'WAREHOUSE',
  },
  {
    check: 'INVENTORY',
    holdReason: 'INVENTORY_UNCONFIRMED',
    exceptionType: 'INVENTORY_UNCONFIRMED',
    ownerTeam: 'WAREHOUSE',
  },
  { check: 'CREDIT', holdReason: 'CREDIT', exceptionType: 'CREDIT_HOLD', ownerTeam: 'BILLING' },
  {
    check: 'DANGEROUS_GOODS',
    holdReason: 'DANGEROUS_GOODS_DOCUMENT',
    exceptionType: 'MISSING_DOCUMENT',
    ownerTeam: 'WAREHOUSE',
  },
  {
    check: 'ROUTE',
    holdReason: 'ROUTE_INELIGIBLE',
    exceptionType: 'ROUTE_INELIGIBLE',
    ownerTeam: 'DISPATCH',
  },
];

function failures(ctx: SimContext, s: SimShipment, at: number, facts: GateFacts): Failure[] {
  const { rng } = ctx;
  const minutes = (min: number, max: number) =>
    rng.chance(STUCK) ? undefined : rng.skewed(min, max);
  const found: Failure[] = [];
  if (facts.short && !s.customer.allowsPartial) {
    const severity: Severity =
      s.dangerousGoods || Number(s.goodsValue) > 10_000 ? 'HIGH' : 'MEDIUM';
    found.push({
      check: 'COMPLETENESS',
      reason: 'QUANTITY_VARIANCE',
      type: 'QUANTITY_VARIANCE',
      owner: 'WAREHOUSE',
      severity,
      eventId: facts.pickEventId,
      minutes: minutes(20, 300),
      codes: ['REPICKED', 'REPICKED', 'SHORT_APPROVED'],
    });
  }
  const overLimit = s.customer.payProfile === 'SLOW' && at >= ctx.now - OVER_LIMIT_SINCE;
  if (overLimit || rng.chance(RANDOM_CREDIT_HOLD)) {
    found.push({
      check: 'CREDIT',
      reason: 'CREDIT',
      type: 'CREDIT_HOLD',
      owner: 'BILLING',
      severity: 'HIGH',
      eventId: facts.stageEventId,
      minutes: overLimit ? undefined : minutes(60, 1_440),
      codes: ['PAYMENT_RECEIVED', 'CREDIT_OVERRIDE'],
    });
  }
  if (facts.documentMissing) {
    found.push({
      check: 'DANGEROUS_GOODS',
      reason: 'DANGEROUS_GOODS_DOCUMENT',
      type: 'MISSING_DOCUMENT',
      owner: 'WAREHOUSE',
      severity: 'HIGH',
      eventId: facts.stageEventId,
      minutes: minutes(15, 240),
      codes: ['DOCUMENT_RECEIVED'],
    });
  }

  return found;
}

function lineDetails(s: SimShipment) {
  return s.lines.map((l) => ({
    orderLineId: l.orderLineId,
    skuCode: l.sku.code,
    ok: l.pickedBase >= l.orderedBase,
    note:
      l.pickedBase >= l.orderedBase
        ? 'picked as ordered'
        : `short by ${l.orderedBase - l.pickedBase} EA`,
    values: {
      orderedQty: String(l.qty),
      orderedUom: l.uom,
      orderedBase: String(l.orderedBase),
      pickedBase: String(l.pickedBase),
      baseUom: 'EA',
    },
  }));
}

function reasonOf(s: SimShipment, check: CheckName, failed: boolean): string {
  const short = s.lines.filter((l) => l.pickedBase < l.orderedBase);
  const dg = s.lines.filter((l) => l.sku.unNumber);
  const reasons: Record<CheckName, [string, string]> = {
    COMPLETENESS: [
      `${short.map((l) => `line ${l.lineNo} ${l.sku.code} picked ${l.pickedBase} of ${l.orderedBase} EA`).join('; ')}`,
      short.length > 0
        ? `${short.length} short line(s) ship as a backorder: the customer accepts partial shipments`
        : 'Every line picked as ordered',
    ],
    INVENTORY: ['Picks not confirmed', 'Every picked line has a lot and a location'],
    CREDIT: [
      `Customer ${s.customer.code} is over its credit limit`,
      `Customer ${s.customer.code} is within its credit limit`,
    ],
    DANGEROUS_GOODS: [
      `Dangerous goods declaration missing for ${dg.map((l) => `line ${l.lineNo} (${l.sku.unNumber})`).join(', ')}`,
      dg.length > 0 ? 'A declaration covers every dangerous-goods line' : 'No dangerous goods',
    ],
    ROUTE: [
      'No route serves the ship-to',
      `Route ${s.route.code} serves zone ${s.location.zone.code}`,
    ],
  };

  return reasons[check][failed ? 0 : 1];
}

function plannedDepartureOf(trip: SimTrip | undefined) {
  if (!trip) return null;

  return {
    departureId: trip.departure.id,
    routeId: trip.route.id,
    serviceDate: trip.serviceDate,
    departsAt: new Date(trip.departsAt).toISOString(),
    cutoffAt: new Date(trip.cutoffAt).toISOString(),
  };
}

function decide(s: SimShipment, at: number, trigger: string, failed: Set<CheckName>): SimDecision {
  const items = CHECKS.map((c) => ({
    ...c,
    verdict: failed.has(c.check) ? 'FAIL' : 'PASS',
    inputs:
      c.check === 'COMPLETENESS'
        ? {
            allowsPartial: s.customer.allowsPartial,
            tolerance: { fraction: '0.02', absolute: '0' },
          }
        : c.check === 'ROUTE'
          ? { zone: s.location.zone.code, postalCode: s.location.postalCode }
          : {},
    reason: reasonOf(s, c.check, failed.has(c.check)),
    // Line by line only where completeness had something to say, to keep 20,000 records lean.
    details:
      c.check === 'COMPLETENESS' && s.lines.some((l) => l.pickedBase < l.orderedBase)
        ? lineDetails(s)
        : [],
  }));
  const backorder = s.customer.allowsPartial
    ? s.lines
        .filter((l) => l.pickedBase < l.orderedBase)
        .map((l) => ({
          orderLineId: l.orderLineId,
          skuCode: l.sku.code,
          quantity: String(l.orderedBase - l.pickedBase),
          uom: 'EA',
        }))
    : [];
  const decision: SimDecision = {
    id: randomUUID(),
    outcome: failed.size > 0 ? 'HOLD' : 'PASS',
    trigger,
    at,
    checks: { items, plannedDeparture: plannedDepartureOf(s.plannedTrip), backorder },
  };
  s.decisions.push(decision);

  return decision;
}

/** What resolving the hold changed on the floor: a re-pick or the missing declaration. */
function applyResolution(s: SimShipment, hold: SimHold, code: string): void {
  // The fix lands between the hold and its release: re-pick, re-pack, then the release.
  const span = (hold.releasedAt as number) - hold.placedAt;
  const at = hold.placedAt + Math.round(span * 0.5);
  if (hold.reason === 'QUANTITY_VARIANCE' && code === 'REPICKED') {
    for (const l of s.lines) l.pickedBase = l.orderedBase;
    measure(s);
    addEvent(s, 'PICK_COMPLETED', at, { lines: pickedLines(s) });
    // The re-picked goods are packed again; like the product's replay, the milestones are the
    // latest pick and stage.
    const restagedAt = hold.placedAt + Math.round(span * 0.75);
    s.t.picked = at;
    s.t.staged = restagedAt;
    addEvent(s, 'PACKED_STAGED', restagedAt, {
      handlingUnits: s.handlingUnits,
      weight: { value: decimalText(s.weightKg, 3), unit: 'KG' },
      volume: { value: decimalText(s.volumeM3, 4), unit: 'M3' },
      dock: s.stagedDock,
    });
  }
  if (hold.reason === 'DANGEROUS_GOODS_DOCUMENT') attachDgDeclarations(s, at);
}

function placeHold(
  ctx: SimContext,
  s: SimShipment,
  f: Failure,
  decision: SimDecision,
  at: number,
): SimHold {
  const resolvedAt =
    f.minutes === undefined ? Infinity : s.site.calendar.addOpenMinutes(at, f.minutes);
  const resolved = resolvedAt <= ctx.now;
  const code = ctx.rng.pick(f.codes);
  const item = (
    decision.checks.items as {
      check: CheckName;
      inputs: unknown;
      details: unknown;
      reason: string;
    }[]
  ).find((c) => c.check === f.check);
  const reason = item?.reason ?? f.reason;
  const exception = newException({
    type: f.type,
    severity: f.severity,
    ownerTeam: f.owner,
    site: s.site,
    shipmentId: s.id,
    eventId: f.eventId,
    title: reason,
    detail: { check: f.check, inputs: item?.inputs ?? {}, details: item?.details ?? [] },
    openedAt: at,
    waits: f.type === 'CREDIT_HOLD',
    ...(resolved
      ? {
          resolvedAt,
          resolutionCode: code,
          resolutionNote: `Resolved: ${code.toLowerCase().replaceAll('_', ' ')}`,
        }
      : {}),
  });
  s.exceptions.push(exception);
  const hold: SimHold = {
    id: randomUUID(),
    reason: f.reason,
    detail: reason,
    decisionId: decision.id,
    placedAt: at,
    exception,
  };
  if (resolved) {
    hold.releasedAt = resolvedAt;
    hold.releasedById = memberOf(ctx, exception);
    applyResolution(s, hold, code);
  }

  return hold;
}

/** Ready: booked on the route's first run whose cut-off the ready time still makes. */
function markReady(ctx: SimContext, s: SimShipment, at: number): void {
  s.t.ready = at;
  const trip = ctx.trips.next(s.route, at);
  if (!trip) return;
  s.trip = trip;
  // Dispatch books a departure's loads a few hours ahead, or at once when it is close.
  const slotted = Math.max(
    at + ctx.rng.int(2, 15) * MINUTE,
    trip.departsAt - ctx.rng.int(180, 300) * MINUTE,
  );
  if (slotted > ctx.now) return;
  s.t.slotted = slotted;
  s.booking = { id: randomUUID(), bookedAt: slotted, slotStart: 0, slotEnd: 0, loadedAt: 0 };
  trip.booked.push(s);
}

export function runGate(ctx: SimContext, s: SimShipment, at: number, facts: GateFacts): void {
  // The gate plans the departure the stage made; slotting later books the first it still can.
  s.plannedTrip = ctx.trips.next(s.route, s.t.staged ?? at);
  const found = failures(ctx, s, at, facts);
  const decision = decide(s, at, 'events', new Set(found.map((f) => f.check)));
  if (found.length === 0) return markReady(ctx, s, at);
  s.t.held = at;
  s.holds = found.map((f) => placeHold(ctx, s, f, decision, at));
  if (s.holds.some((h) => h.releasedAt === undefined)) return;
  const releasedAt = Math.max(...s.holds.map((h) => h.releasedAt as number)) + MINUTE;
  if (releasedAt > ctx.now) return;
  decide(s, releasedAt, 'hold released', new Set());
  markReady(ctx, s, releasedAt);
}
