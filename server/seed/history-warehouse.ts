import { addEvent, MINUTE, type SimContext } from './history-context';
import { attachDgDeclarations, measure, pickedLines, stagedPayload } from './history-floor';
import { runGate } from './history-gate';
import { normaliseDecimal } from '../domain/events/decimal-fields';
import type { SimShipment } from './history-types';

// The warehouse floor: pick, QC, dangerous-goods paperwork, pack and stage. Durations count
// open minutes of the site's calendar, so work released late in a shift finishes next morning.

const LATE_PICK = 0.07;
const SHORT_PICK = 0.045;
const CANCELLED = 0.006;
const DG_DOCUMENT_MISSING = 0.06;

/**
 * A short pick on one or two lines, always beyond the gate's 2 % tolerance; returns whether
 * any line came up short.
 */
function shortPick(ctx: SimContext, s: SimShipment): boolean {
  if (!ctx.rng.chance(SHORT_PICK)) return false;
  const count = ctx.rng.chance(0.8) ? 1 : 2;
  const lines = s.lines.filter((l) => l.orderedBase >= 2).slice(0, count);
  for (const line of lines) {
    const missing = Math.max(1, Math.ceil(line.orderedBase * ctx.rng.float(0.03, 0.3)));
    line.pickedBase = Math.max(0, line.orderedBase - missing);
  }

  return lines.length > 0;
}

function release(ctx: SimContext, s: SimShipment): void {
  addEvent(s, 'ORDER_RELEASED', s.t.released, {
    customerCode: s.customer.code,
    shipToCode: s.location.code,
    poNumber: s.poNumber,
    requestedDate: s.requestedDate,
    currency: s.currency,
    lines: s.lines.map((l) => ({
      lineNo: l.lineNo,
      skuCode: l.sku.code,
      quantity: String(l.qty),
      uom: l.uom,
      unitPrice: normaliseDecimal(l.unitPrice),
    })),
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
  const pickEvent = addEvent(s, 'PICK_COMPLETED', picked, { lines: pickedLines(s) });
  const qc = calendar.addOpenMinutes(picked, rng.float(5, 30));
  if (qc > now) return;
  s.t.qc = qc;
  addEvent(s, 'QC_PASSED', qc);
  const documentMissing = s.dangerousGoods && rng.chance(DG_DOCUMENT_MISSING);
  const documentAt = calendar.addOpenMinutes(qc, rng.float(1, 8));
  if (s.dangerousGoods && !documentMissing && documentAt <= now)
    attachDgDeclarations(s, documentAt);
  const staged = calendar.addOpenMinutes(qc, rng.float(10, 45));
  if (staged > now) return;
  measure(s);
  s.t.staged = staged;
  s.stagedDock = rng.pick(s.site.docks).code;
  const stageEvent = addEvent(s, 'PACKED_STAGED', staged, stagedPayload(s));
  // The gate waits a short settle window for late documents before it decides.
  const decidedAt = staged + rng.int(1, 20) * MINUTE;
  if (decidedAt > now) return;
  runGate(ctx, s, decidedAt, {
    short,
    documentMissing,
    pickEventId: pickEvent.id,
    stageEventId: stageEvent.id,
  });
}
