import { describe, expect, it } from 'vitest';

import { heldEventIds, missText, orphanTitle, referenceLabel } from './orphan-text';

describe('orphan texts', () => {
  it('names a product by its GTIN-14 whatever length the document used', () => {
    expect(missText({ kind: 'SKU', value: 'UP:012345678905' }, 'ACME')).toBe(
      'GTIN 00012345678905 of partner ACME has no SKU mapping',
    );
    expect(referenceLabel('SKU', 'VN:ABC-1')).toBe('product VN:ABC-1');
  });

  it('names the GLN inside an SGLN, and a plain code as it is', () => {
    expect(referenceLabel('LOCATION', 'urn:epc:id:sgln:0614141.07346.1234')).toBe(
      'location urn:epc:id:sgln:0614141.07346.1234 (GLN 0614141073467)',
    );
    expect(missText({ kind: 'LOCATION', value: '0000000000140' }, 'WMS-1')).toBe(
      'location 0000000000140 of partner WMS-1 has no location mapping',
    );
    expect(missText({ kind: 'CARRIER', value: 'CNRU' }, 'CN')).toBe(
      'carrier CNRU of partner CN has no carrier mapping',
    );
  });

  it('says so when the document names nothing to map', () => {
    expect(missText({ kind: 'LOCATION', value: '(no N1*ST ship-to)' }, 'ACME')).toBe(
      'the document of partner ACME has no N1*ST ship-to',
    );
  });

  it('titles the event with every miss, capped in length', () => {
    const title = orphanTitle(
      { eventId: 'x', type: 'ORDER_RELEASED', ref: '538686' },
      [
        { kind: 'PARTNER_ID', value: '0377912820000' },
        { kind: 'SKU', value: 'UK:10071179017073' },
      ],
      'SIMPLOT',
    );
    expect(title).toBe(
      'ORDER_RELEASED 538686 from partner SIMPLOT waits: partner id 0377912820000 has no ' +
        'partner id mapping; GTIN 10071179017073 has no SKU mapping',
    );
    const many = Array.from({ length: 40 }, (_, i) => ({ kind: 'SKU' as const, value: `V${i}` }));
    expect(orphanTitle({ eventId: 'e1' }, many, 'P').length).toBeLessThanOrEqual(400);
  });

  it('lists each held event once', () => {
    const miss = (eventIds: string[]) => ({
      kind: 'SKU' as const,
      value: 'v',
      segment: 's',
      eventIds,
    });
    expect(heldEventIds([miss(['a', 'b']), miss(['b', 'c']), miss([])])).toEqual(['a', 'b', 'c']);
  });
});
