import { describe, expect, it } from 'vitest';

import { parseBinRow, parseInventoryRow, parseOrderRow } from './parse-rows';
import type { Cells } from './types';

function cells(values: Record<string, string>, line = 2): Cells {
  return { line, get: (column) => values[column] ?? '' };
}

const ORDER = {
  order_ref: 'SO-1',
  site: 'DAL1',
  customer: 'ACME',
  ship_to: 'DC1',
  released_at: '2026-12-01T08:00:00-06:00',
  line_no: '1',
  sku: 'W-1',
  quantity: '12.50',
  uom: 'CS',
  unit_price: '3',
};

function reasons(result: { ok: boolean; errors?: { column: string | null; reason: string }[] }) {
  return result.ok ? [] : result.errors!.map((e) => `${e.column}: ${e.reason}`);
}

describe('order rows', () => {
  it('reads a good row, normalising its decimals', () => {
    expect(parseOrderRow(cells(ORDER))).toMatchObject({
      ok: true,
      row: { line: 2, orderRef: 'SO-1', lineNo: 1, quantity: '12.5', currency: null },
    });
  });

  it.each([
    [{ quantity: '1,5' }, 'quantity: quantity must be a decimal string such as "12.50"'],
    [{ quantity: '0' }, 'quantity: quantity must be greater than zero'],
    [{ unit_price: '-1' }, 'unit_price: unit_price must not be negative'],
    [{ quantity: '1.00001' }, 'quantity: quantity must have at most 4 decimal places'],
    [{ released_at: '2026-12-01 08:00' }, 'released_at: released_at must be an ISO 8601 date-time'],
    [{ released_at: '2026-12-01T08:00:00' }, 'released_at: released_at must include a UTC offset'],
    [{ line_no: '1.5' }, 'line_no: must be a whole number from 1 to 100000'],
    [{ uom: 'case of 12' }, 'uom: must be a unit code such as "EA" or "CS"'],
    [{ currency: 'dollars' }, 'currency: must be a three-letter ISO 4217 code'],
    [{ requested_date: '2026-02-30' }, 'requested_date: '],
    [{ sku: '' }, 'sku: is required'],
  ])('rejects %o', (change, reason) => {
    const result = parseOrderRow(cells({ ...ORDER, ...change }));

    expect(reasons(result)).toEqual([expect.stringContaining(reason)]);
  });
});

describe('inventory and bin rows', () => {
  it('allows a zero count and no lot, and rejects a negative one', () => {
    const row = { site: 'DAL1', sku: 'W-1', location: 'A-1', quantity: '0' };

    expect(parseInventoryRow(cells(row))).toMatchObject({ ok: true, row: { lot: '', uom: null } });
    expect(reasons(parseInventoryRow(cells({ ...row, quantity: '-2' })))).toEqual([
      'quantity: quantity must not be negative',
    ]);
  });

  it('converts a bin capacity to kilograms and wants its unit', () => {
    const bin = { site: 'DAL1', location: 'A-1', max_weight: '2000', weight_unit: 'lb' };

    expect(parseBinRow(cells(bin))).toMatchObject({
      ok: true,
      row: { maxWeightKg: '907.1847', kind: 'PICK', active: true },
    });
    expect(reasons(parseBinRow(cells({ ...bin, weight_unit: 'ST' })))).toEqual([
      'weight_unit: must be KG or LB',
    ]);
    expect(reasons(parseBinRow(cells({ ...bin, weight_unit: '' })))).toEqual([
      'weight_unit: is required with max_weight',
    ]);
    expect(reasons(parseBinRow(cells({ ...bin, kind: 'shelf', active: 'maybe' })))).toEqual([
      'kind: must be one of PICK, RESERVE, STAGING, RECEIVING, DOCK',
      'active: must be true or false',
    ]);
  });
});
