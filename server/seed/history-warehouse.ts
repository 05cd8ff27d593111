import { addEvent, MINUTE, type SimContext } from './history-context';
import { attachDgDeclarations, measure } from './history-floor';
import { runGate } from './history-gate';
import type { SimLine, SimShipment } from './history-types';

// The warehouse floor: pick, QC, dangerous-goods paperwork, pack and stage. Durations count
// open minutes of the site's calendar, so work released late in a shift finishes next morning.

const LATE_PICK = 0.07;
const SHORT_PICK = 0.045;
const CANCELLED = 0.006;
const DG_DOCUMENT_MISSING = 0.06;

function linesPayload(lines: SimLine[], qty: (l: SimLine) => number) {
  return lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku.code, quantity: String(qty(l)), uom: 'EA', lot: l.lot, location: l.location }));
}

/** A short pick on one or two lines; returns whether any line came up short. */
function shortPick(ctx: SimContext, s: SimShipment): boolean {
  if (!ctx.rng.chance(SHORT_PICK)) return false;
  const count = Math.min(s.lines.length, ctx.rng.chance(0.8) ? 1 : 2);
  for (const line of s.lines.slice(0, count)) {
    const missing = Math.max(1, Math.round(line.orderedBase * ctx.rng.float(0.02, 0.3)));
    line.pickedBase = Math.max(0, line.orderedBase - missing);
  }

  return true;
}

function release(ctx: SimContext, s: SimShipment): void {
  addEvent(s, 'ORDER_RELEASED', s.t.released, {
    customer: s.customer.code,
    shipTo: s.location.code,
    poNumber: s.poNumber,
    lines: s.lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku.code, quantity: String(l.qty), uom: l.uom })),
  });
  if (!ctx.rng.chance(CANCELLED)) return;
  const at = s.t.released + ctx.rng.int(10, 240) * MINUTE;
  if (at <= ctx.now) {
    s.t.cancelled = at;
    addEvent(s, 'CANCELLED', at, { reason: 'Customer cancelled the order' });
  }
}

/** Simulates the shipment up to its readiness decision (and the holds that follow). */
export function simulateWarehouse(ctx: SimContext, s: SimShipment): void {
  const { rng, now } = ctx;
  const calendar = s.site.calendar;
  release(ctx, s);
  if (s.t.cancelled !== undefined) return;
  const pickMinutes = rng.chance(LATE_PICK) ? rng.float(300, 900) : rng.skewed(20, 180);
  const picked = calendar.addOpenMinutes(s.t.released, pickMinutes);
  if (picked > now) return;
  const short = shortPick(ctx, s);
  s.t.picked = picked;
  const pickEvent = addEvent(s, 'PICK_COMPLETED', picked, { lines: linesPayload(s.lines, (l) => l.pickedBase) });
  const qc = calendar.addOpenMinutes(picked, rng.float(5, 30));
  if (qc > now) return;
  s.t.qc = qc;
  addEvent(s, 'QC_PASSED', qc, { inspector: `QC-${rng.int(1, 9)}` });
  const documentMissing = s.dangerousGoods && rng.chance(DG_DOCUMENT_MISSING);
  const documentAt = calendar.addOpenMinutes(qc, rng.float(1, 8));
  if (s.dangerousGoods && !documentMissing && documentAt <= now) attachDgDeclarations(s, documentAt);
  const staged = calendar.addOpenMinutes(qc, rng.float(10, 45));
  if (staged > now) return;
  measure(s);
  s.t.staged = staged;
  s.stagedDock = rng.pick(s.site.docks).code;
  const stageEvent = addEvent(s, 'PACKED_STAGED', staged, {
    handlingUnits: s.handlingUnits,
    weight: { value: s.weightKg.toFixed(3), unit: 'KG' },
    volume: { value: s.volumeM3.toFixed(4), unit: 'M3' },
    stagedDock: s.stagedDock,
  });
  // The gate waits a short settle window for late documents before it decides.
  const decidedAt = staged + rng.int(1, 20) * MINUTE;
  if (decidedAt > now) return;
  runGate(ctx, s, decidedAt, { short, documentMissing, pickEventId: pickEvent.id, stageEventId: stageEvent.id });
}
