import { describe, expect, it } from 'vitest';

import { mapHeader, normaliseHeader } from './columns';

describe('header mapping', () => {
  it('reads the usual spellings of a column as one', () => {
    expect(['Order Ref', 'orderRef', 'order-ref', ' ORDER_REF '].map(normaliseHeader)).toEqual([
      'order_ref',
      'order_ref',
      'order_ref',
      'order_ref',
    ]);
  });

  it('maps aliases, ignores unknown columns by name, and refuses a repeated one', () => {
    const mapping = mapHeader('INVENTORY', [
      'Warehouse',
      'Item',
      'Bin',
      'Qty',
      'Colour',
      'SKU',
      '',
    ]);

    expect(mapping.columns.map((c) => c.column)).toEqual([
      'site',
      'sku',
      'location',
      'quantity',
      null,
      null,
      null,
    ]);
    expect(mapping.problems).toEqual(['column 6 "SKU" repeats column sku ("Item")']);
    expect(mapping.warnings).toEqual([
      expect.stringMatching(
        /^column 5 "Colour" is not a column of this import; ignored \(known: site/,
      ),
      'column 7 "" has no name; ignored',
    ]);
    expect(mapping.missing).toEqual([
      { name: 'lot', required: false },
      { name: 'uom', required: false },
    ]);
  });

  it('requires every required column the uploader gave no value for', () => {
    expect(mapHeader('BIN_LOCATIONS', ['zone']).problems).toEqual([
      'required column site is missing',
      'required column location is missing',
    ]);
    expect(mapHeader('BIN_LOCATIONS', ['name'], new Set(['site'])).problems).toEqual([]);
  });
});
