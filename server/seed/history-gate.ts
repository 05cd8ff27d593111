import { randomUUID } from 'node:crypto';
import type { Severity } from '../db/generated/enums';
import type { CheckName } from '../domain/readiness/types';
import { addEvent, HOUR, memberOf, MINUTE, newException, type SimContext } from './history-context';
import { attachDgDeclarations, measure, pickedLines, stagedPayload } from './history-floor';
import { CHECKS, type CheckItem, type CheckSpec, decide } from './history-gate-record';
import type { SimException, SimHold, SimShipment } from './history-types';

// The readiness gate as it decided. A failed check holds the shipment and raises an exception
// for the owning team; most holds are released when the team resolves it, a few are still
// open at `now`.

export { SEED_RULE_VERSION } from './history-gate-record';
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

interface Failure extends CheckSpec {
  severity: Severity;
  eventId: string;
  /** Open minutes to resolve; undefined: not resolved by now. */
  minutes?: number;
  codes: string[];
}

function failures(ctx: SimContext, s: SimShipment, at: number, facts: GateFacts): Failure[] {
  const { rng } = ctx;
  const minutes = (min: number, max: number) =>
    rng.chance(STUCK) ? undefined : rng.skewed(min, max);
  const overLimit = s.customer.payProfile === 'SLOW' && at >= ctx.now - OVER_LIMIT_SINCE;
  const valuable = s.dangerousGoods || Number(s.goodsValue) > 10_000;
  // Evaluated in this order with short-circuits, so the draws are the same on every run.
  const found: (Failure | false)[] = [
    facts.short &&
      !s.customer.allowsPartial && {
        ...CHECKS.COMPLETENESS,
        severity: valuable ? 'HIGH' : 'MEDIUM',
        eventId: facts.pickEventId,
        minutes: minutes(20, 300),
        codes: ['REPICKED', 'REPICKED', 'SHORT_APPROVED'],
      },
    (overLimit || rng.chance(RANDOM_CREDIT_HOLD)) && {
      ...CHECKS.CREDIT,
      severity: 'HIGH',
      eventId: facts.stageEventId,
      minutes: overLimit ? undefined : minutes(60, 1_440),
      codes: ['PAYMENT_RECEIVED', 'CREDIT_OVERRIDE'],
    },
    facts.documentMissing && {
      ...CHECKS.DANGEROUS_GOODS,
      severity: 'HIGH',
      eventId: facts.stageEventId,
      minutes: minutes(15, 240),
      codes: ['DOCUMENT_RECEIVED'],
    },
  ];

  return found.filter((f): f is Failure => f !== false);
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
    addEvent(s, 'PACKED_STAGED', restagedAt, stagedPayload(s));
  }
  if (hold.reason === 'DANGEROUS_GOODS_DOCUMENT') attachDgDeclarations(s, at);
}

/** The exception the gate opens for a failed check: titled and detailed from the check. */
function exceptionFor(
  s: SimShipment,
  f: Failure,
  item: CheckItem | undefined,
  at: number,
  resolution?: { at: number; code: string },
): SimException {
  return newException({
    type: f.exceptionType,
    severity: f.severity,
    ownerTeam: f.ownerTeam,
    site: s.site,
    shipmentId: s.id,
    eventId: f.eventId,
    title: item?.reason ?? f.holdReason,
    detail: { check: f.check, inputs: item?.inputs ?? {}, details: item?.details ?? [] },
    openedAt: at,
    waits: f.exceptionType === 'CREDIT_HOLD',
    ...(resolution
      ? {
          resolvedAt: resolution.at,
          resolutionCode: resolution.code,
          resolutionNote: `Resolved: ${resolution.code.toLowerCase().replaceAll('_', ' ')}`,
        }
      : {}),
  });
}

function placeHold(
  ctx: SimContext,
  s: SimShipment,
  f: Failure,
  decision: { id: string; items: CheckItem[] },
  at: number,
): SimHold {
  const resolvedAt =
    f.minutes === undefined ? Infinity : s.site.calendar.addOpenMinutes(at, f.minutes);
  const resolved = resolvedAt <= ctx.now;
  const code = ctx.rng.pick(f.codes);
  const item = decision.items.find((c) => c.check === f.check);
  const exception = exceptionFor(s, f, item, at, resolved ? { at: resolvedAt, code } : undefined);
  s.exceptions.push(exception);
  const hold: SimHold = {
    id: randomUUID(),
    reason: f.holdReason,
    detail: exception.title,
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
  const { decision, items } = decide(
    s,
    at,
    'events',
    new Set<CheckName>(found.map((f) => f.check)),
  );
  if (found.length === 0) return markReady(ctx, s, at);
  s.t.held = at;
  s.holds = found.map((f) => placeHold(ctx, s, f, { id: decision.id, items }, at));
  if (s.holds.some((h) => h.releasedAt === undefined)) return;
  const releasedAt = Math.max(...s.holds.map((h) => h.releasedAt as number)) + MINUTE;
  if (releasedAt > ctx.now) return;
  decide(s, releasedAt, 'hold released', new Set());
  markReady(ctx, s, releasedAt);
}
