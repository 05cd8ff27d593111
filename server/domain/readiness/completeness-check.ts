// Completeness: did the warehouse pick what was ordered? Compared per line in the SKU's base
// unit, within the quantity tolerance. Short lines ship as a backorder only for customers that
// accept partial shipments; over-picks beyond tolerance never ship, whoever the customer is.
import { Decimal, decimal } from '../../lib/money';
import { toBaseQuantity } from '../../lib/units';
import type {
  BackorderLine,
  CheckResult,
  GateInput,
  GateLine,
  GateSettings,
  LineDetail,
} from './types';

export type LineStatus = 'OK' | 'SHORT' | 'OVER' | 'NOTHING_PICKED' | 'UNKNOWN_UNIT' | 'INVALID';

interface LineAssessment {
  status: LineStatus;
  orderedBase: Decimal | null;
  picked: Decimal;
  baseUom: string;
  detail: Omit<LineDetail, 'ok' | 'note'>;
  problem: string | null;
}

export type CompletenessResult = CheckResult & { backorder: BackorderLine[] };

/** max(fraction x ordered, absolute): the variance a line may have and still count as complete. */
export function allowedVariance(orderedBase: Decimal, settings: GateSettings): Decimal {
  const { fraction, absolute } = settings.quantityTolerance;

  return Decimal.max(orderedBase.abs().times(decimal(fraction)), decimal(absolute));
}

function assessLine(line: GateLine, settings: GateSettings): LineAssessment {
  const base = line.sku.baseUom;
  const picked = decimal(line.pickedQty);
  const orderedQty = decimal(line.orderedQty);
  const ordered = toBaseQuantity(orderedQty, line.orderedUom, line.sku.units, base);
  const reported = {
    orderedQty: orderedQty.toString(),
    orderedUom: line.orderedUom,
    pickedBase: picked.toString(),
    baseUom: base,
  };
  const ids = { orderLineId: line.orderLineId, skuCode: line.sku.code };
  if (!ordered.ok) {
    const detail = { ...ids, values: reported };

    return {
      status: 'UNKNOWN_UNIT',
      orderedBase: null,
      picked,
      baseUom: base,
      detail,
      problem: ordered.message,
    };
  }

  const allowed = allowedVariance(ordered.quantity, settings);
  const variance = picked.minus(ordered.quantity);
  const values = {
    ...reported,
    orderedBase: ordered.quantity.toString(),
    variance: variance.toString(),
    allowedVariance: allowed.toString(),
  };
  const status = lineStatus(picked, ordered.quantity, variance, allowed);
  const problem =
    status === 'OK' ? null : describe(status, picked, ordered.quantity, allowed, base);

  const detail = { ...ids, values };

  return { status, orderedBase: ordered.quantity, picked, baseUom: base, detail, problem };
}

// Nothing picked is its own status: a tolerance floor must never let an empty line pass.
function lineStatus(
  picked: Decimal,
  ordered: Decimal,
  variance: Decimal,
  allowed: Decimal,
): LineStatus {
  if (picked.isNegative() || ordered.isNegative()) return 'INVALID';
  if (picked.isZero() && ordered.gt(0)) return 'NOTHING_PICKED';
  if (variance.gt(allowed)) return 'OVER';
  if (variance.negated().gt(allowed)) return 'SHORT';

  return 'OK';
}

function describe(s: LineStatus, picked: Decimal, ordered: Decimal, allowed: Decimal, uom: string) {
  const pair = `picked ${picked.toString()} of ${ordered.toString()} ${uom}`;
  if (s === 'NOTHING_PICKED') return `nothing picked of ${ordered.toString()} ${uom}`;
  if (s === 'OVER') return `over-picked: ${pair}, beyond the allowed ${allowed.toString()}`;
  if (s === 'SHORT') return `short: ${pair}, beyond the allowed ${allowed.toString()}`;

  return `negative quantity: ${pair}`;
}

// What ships later: the whole shortfall, for short and unpicked lines of a partial customer.
function isBackorderable(a: LineAssessment, allowsPartial: boolean): boolean {
  return allowsPartial && (a.status === 'SHORT' || a.status === 'NOTHING_PICKED');
}

function toDetail(a: LineAssessment, allowsPartial: boolean): LineDetail {
  const backordered = isBackorderable(a, allowsPartial);
  const note =
    a.problem === null ? 'within tolerance' : backordered ? `${a.problem}; backordered` : a.problem;

  return { ...a.detail, ok: a.status === 'OK' || backordered, note };
}

function toBackorder(a: LineAssessment): BackorderLine {
  const ordered = a.orderedBase ?? new Decimal(0);

  return {
    orderLineId: a.detail.orderLineId,
    skuCode: a.detail.skuCode,
    quantity: ordered.minus(a.picked),
    uom: a.baseUom,
  };
}

export function checkCompleteness(input: GateInput): CompletenessResult {
  const { allowsPartial } = input.customer;
  const assessed = input.lines.map((l) => assessLine(l, input.settings));
  const details = assessed.map((a) => toDetail(a, allowsPartial));
  const backorder = assessed.filter((a) => isBackorderable(a, allowsPartial)).map(toBackorder);
  const nothingShips = assessed.every((a) => a.picked.lte(0));

  const failures = details.filter((d) => !d.ok);
  let reason = summarize(details.length, backorder.length);
  if (details.length === 0) reason = 'The shipment has no lines';
  else if (nothingShips) reason = 'Nothing was picked on any line';
  else if (failures.length > 0) reason = failures.map((d) => `${d.skuCode}: ${d.note}`).join('; ');
  const pass = details.length > 0 && !nothingShips && failures.length === 0;
  // A held shipment ships nothing yet, so nothing is backordered until it passes.
  const shippedShort = pass ? backorder : [];

  const { fraction, absolute } = input.settings.quantityTolerance;
  const inputs = {
    allowsPartial,
    toleranceFraction: decimal(fraction).toString(),
    toleranceAbsolute: decimal(absolute).toString(),
    lineCount: details.length,
    backorder: shippedShort.map((b) => ({ ...b, quantity: b.quantity.toString() })),
  };

  return {
    check: 'COMPLETENESS',
    verdict: pass ? 'PASS' : 'FAIL',
    ...(pass
      ? {}
      : ({ holdReason: 'QUANTITY_VARIANCE', exceptionType: 'QUANTITY_VARIANCE' } as const)),
    ownerTeam: 'WAREHOUSE',
    inputs,
    reason,
    details,
    backorder: shippedShort,
  };
}

function summarize(lineCount: number, backordered: number): string {
  const all = `All ${lineCount} line${lineCount === 1 ? '' : 's'} picked within tolerance`;
  if (backordered === 0) return all;

  return `${lineCount - backordered} of ${lineCount} lines complete; ${backordered} short, backordered for a customer that accepts partial shipments`;
}
