import { describe, expect, it } from 'vitest';

import { checkDangerousGoods } from './dangerous-goods-check';
import { gateInput, line, paint, paintLine } from './gate-fixtures';
import type { GateDocument, GateInput } from './types';

function withDocuments(documents: GateDocument[], patch: Partial<GateInput> = {}): GateInput {
  return { ...gateInput(), documents, ...patch };
}

const declaration = (orderLineId: string | null): GateDocument => ({
  kind: 'DANGEROUS_GOODS_DECLARATION',
  orderLineId,
});

describe('checkDangerousGoods()', () => {
  it('passes a DG line covered by its own declaration', () => {
    const r = checkDangerousGoods(gateInput());
    expect(r.verdict).toBe('PASS');
    expect(r.details).toEqual([
      {
        orderLineId: 'ol-2',
        skuCode: 'PAINT',
        ok: true,
        note: 'declared (line declaration)',
        values: { unNumber: 'UN1263', hazardClass: '3', covered: true },
      },
    ]);
  });

  it('passes a DG line covered by a whole-shipment declaration', () => {
    const r = checkDangerousGoods(withDocuments([declaration(null)]));
    expect(r.verdict).toBe('PASS');
    expect(r.details[0]?.note).toBe('declared (whole-shipment declaration)');
  });

  it('fails a DG line without a declaration', () => {
    const r = checkDangerousGoods(withDocuments([]));
    expect(r).toMatchObject({
      verdict: 'FAIL',
      holdReason: 'DANGEROUS_GOODS_DOCUMENT',
      exceptionType: 'MISSING_DOCUMENT',
      ownerTeam: 'WAREHOUSE',
      reason: 'PAINT: no dangerous-goods declaration for UN1263',
    });
  });

  it('does not count a declaration for another line, another kind, or a voided one', () => {
    const docs: GateDocument[] = [
      declaration('ol-1'),
      { kind: 'COMMERCIAL_INVOICE', orderLineId: null },
      { ...declaration('ol-2'), voidedAt: new Date('2026-12-07T18:00:00Z') },
    ];
    expect(checkDangerousGoods(withDocuments(docs)).verdict).toBe('FAIL');
  });

  it('needs a declaration for every DG line', () => {
    const lines = [
      paintLine(),
      paintLine({
        orderLineId: 'ol-3',
        sku: paint({ code: 'ACID', unNumber: 'UN1789', hazardClass: '8' }),
      }),
    ];
    const r = checkDangerousGoods(withDocuments([declaration('ol-2')], { lines }));
    expect(r.verdict).toBe('FAIL');
    expect(r.reason).toBe('ACID: no dangerous-goods declaration for UN1789');
  });

  it('passes a shipment without dangerous goods and no documents', () => {
    const input = gateInput();
    const r = checkDangerousGoods({
      ...input,
      lines: [line()],
      documents: [],
      shipment: { ...input.shipment, dangerousGoods: false },
    });
    expect(r.verdict).toBe('PASS');
    expect(r.reason).toBe('No dangerous goods on the shipment');
  });

  it('needs a whole-shipment declaration when only the shipment is flagged DG', () => {
    const flagged = { ...gateInput(), lines: [line()] };
    expect(checkDangerousGoods({ ...flagged, documents: [] }).verdict).toBe('FAIL');
    expect(checkDangerousGoods({ ...flagged, documents: [declaration(null)] }).verdict).toBe(
      'PASS',
    );
  });
});
