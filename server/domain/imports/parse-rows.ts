import { BinKind } from '../../db/generated/enums';
import { toStorage } from '../../lib/money';
import {
  decimalProblem,
  normaliseDecimal,
  WEIGHT_UNITS,
  weightInKg,
} from '../events/decimal-fields';
import { calendarDateProblem, parseInstant } from '../events/instant';
import type { BinRow, Cells, InventoryRow, OrderRow, Parsed, RowError } from './types';

// Each row on its own, with no database: required cells, codes, decimals, dates and units of
// measure that need no SKU to judge. References (site, SKU, customer, bin) are checked per chunk
// against master data in resolve-*.ts; keys that repeat are checked across the file.

const CODE = /^[^\u0000-\u001f\u007f-\u009f]{1,64}$/;
const UOM = /^[A-Za-z0-9_.-]{1,16}$/;
const CURRENCY = /^[A-Z]{3}$/;

class RowReader {
  readonly errors: RowError[] = [];

  constructor(private readonly cells: Cells) {}

  fail(column: string | null, value: string | null, reason: string): void {
    this.errors.push({ line: this.cells.line, column, value, reason });
  }

  optional(column: string): string | null {
    const value = this.cells.get(column);

    return value === '' ? null : value;
  }

  code(column: string): string {
    const value = this.cells.get(column);
    if (value === '') this.fail(column, null, 'is required');
    else if (!CODE.test(value)) this.fail(column, value, 'must be a code of at most 64 characters');

    return value;
  }

  decimal(column: string, floor: 'positive' | 'nonNegative'): string {
    const value = this.cells.get(column);
    if (value === '') {
      this.fail(column, null, 'is required');

      return value;
    }
    const problem = decimalProblem(column, value, floor);
    if (problem) this.fail(column, value, problem);

    return problem ? value : normaliseDecimal(value);
  }

  uom(column: string): string {
    const value = this.cells.get(column);
    if (value !== '' && !UOM.test(value)) {
      this.fail(column, value, 'must be a unit code such as "EA" or "CS"');
    }

    return value;
  }

  result<R>(row: R): Parsed<R> {
    return this.errors.length ? { ok: false, errors: this.errors } : { ok: true, row };
  }
}

export function parseOrderRow(cells: Cells): Parsed<OrderRow> {
  const r = new RowReader(cells);
  const orderRef = r.code('order_ref');
  const site = r.code('site');
  const customer = r.code('customer');
  const shipTo = r.code('ship_to');
  const releasedAt = cells.get('released_at');
  if (releasedAt === '') r.fail('released_at', null, 'is required');
  else {
    const instant = parseInstant('released_at', releasedAt);
    if (!instant.ok) r.fail('released_at', releasedAt, instant.reason);
  }
  const rawLine = cells.get('line_no');
  const lineNo = Number(rawLine);
  if (!/^\d{1,6}$/.test(rawLine) || lineNo < 1 || lineNo > 100_000) {
    r.fail('line_no', rawLine || null, 'must be a whole number from 1 to 100000');
  }
  const sku = r.code('sku');
  const quantity = r.decimal('quantity', 'positive');
  const uom = r.uom('uom');
  if (uom === '') r.fail('uom', null, 'is required');
  const unitPrice = r.decimal('unit_price', 'nonNegative');
  const currency = r.optional('currency')?.toUpperCase() ?? null;
  if (currency !== null && !CURRENCY.test(currency)) {
    r.fail('currency', currency, 'must be a three-letter ISO 4217 code such as "USD"');
  }
  const requestedDate = r.optional('requested_date');
  const dateProblem = requestedDate && calendarDateProblem('requested_date', requestedDate);
  if (dateProblem) r.fail('requested_date', requestedDate, dateProblem);
  const poNumber = r.optional('po_number');
  if (poNumber !== null && poNumber.length > 128) {
    r.fail('po_number', poNumber, 'must be at most 128 characters');
  }

  return r.result({
    line: cells.line,
    orderRef,
    site,
    customer,
    shipTo,
    releasedAt,
    lineNo,
    sku,
    quantity,
    uom,
    unitPrice,
    currency,
    poNumber,
    requestedDate,
  });
}

export function parseInventoryRow(cells: Cells): Parsed<InventoryRow> {
  const r = new RowReader(cells);
  const row = {
    line: cells.line,
    site: r.code('site'),
    sku: r.code('sku'),
    location: r.code('location'),
    lot: cells.get('lot'),
    quantity: r.decimal('quantity', 'nonNegative'),
    uom: r.uom('uom') || null,
  };
  if (row.lot.length > 64) r.fail('lot', row.lot, 'must be at most 64 characters');

  return r.result(row);
}

const BIN_KINDS = Object.values(BinKind);
const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

export function parseBinRow(cells: Cells): Parsed<BinRow> {
  const r = new RowReader(cells);
  const site = r.code('site');
  const location = r.code('location');
  const zone = r.optional('zone');
  if (zone !== null && zone.length > 64) r.fail('zone', zone, 'must be at most 64 characters');
  const rawKind = (r.optional('kind') ?? 'PICK').toUpperCase();
  const kind = BIN_KINDS.find((k) => k === rawKind);
  if (!kind) r.fail('kind', rawKind, `must be one of ${BIN_KINDS.join(', ')}`);
  const rawActive = (r.optional('active') ?? 'true').toLowerCase();
  if (!TRUE.has(rawActive) && !FALSE.has(rawActive)) {
    r.fail('active', rawActive, 'must be true or false');
  }

  return r.result({
    line: cells.line,
    site,
    location,
    zone,
    kind: kind ?? 'PICK',
    maxWeightKg: maxWeight(r, cells),
    active: TRUE.has(rawActive),
  });
}

function maxWeight(r: RowReader, cells: Cells): string | null {
  const value = cells.get('max_weight');
  const unit = cells.get('weight_unit').toUpperCase();
  if (value === '') {
    if (unit !== '') r.fail('weight_unit', unit, 'is given without a max_weight');

    return null;
  }
  const problem = decimalProblem('max_weight', value, 'positive');
  if (problem) r.fail('max_weight', value, problem);
  const known = WEIGHT_UNITS.find((u) => u === unit);
  if (!known) {
    const reason = unit === '' ? 'is required with max_weight' : 'must be KG or LB';
    r.fail('weight_unit', unit || null, reason);
  }
  if (problem || !known) return null;

  return toStorage(weightInKg({ value, unit: known }));
}
