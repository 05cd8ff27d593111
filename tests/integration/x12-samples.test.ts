import { X12Parser } from 'node-x12';
import { describe, expect, it } from 'vitest';

import { parseEvent } from '../../server/domain/events/schema';
import { allFaults } from '../../server/integration/x12/envelope';
import type { CarrierInvoice } from '../../server/integration/x12/map-210';
import {
  processX12,
  type InterchangeResult,
} from '../../server/integration/x12/process-interchange';
import { context, fixture, NOW, shared, sharedAvailable, SKIP_REASON } from './helpers/samples';

// Every X12 sample end to end against the small reference map of helpers/samples.ts: the events
// (types, refs, quantities), what did not match, and the 997 each file is answered with.

function run(raw: string, lenient = false): InterchangeResult {
  const result = processX12(raw, {
    context: context(),
    lenient,
    ack: { controlNumbers: () => ({ interchange: 9001, group: 9001, ta1: 9002 }), now: NOW },
  });
  if (!result.ok) throw new Error(result.reason);
  expect(result.interchanges).toHaveLength(1);

  return result.interchanges[0]!;
}

function ak(result: InterchangeResult): string[] {
  expect(() => new X12Parser(true).parse(result.ack997!)).not.toThrow();

  return result.ack997!.split('~').filter((s) => /^AK[59]/.test(s));
}

function parsed(result: InterchangeResult) {
  return result.events.map((e) => parseEvent(e, { now: NOW }));
}

function invoices(result: InterchangeResult): CarrierInvoice[] {
  return result.sets.flatMap((s) =>
    s.outcome?.kind === 'INVOICE' && s.outcome.result.invoice ? [s.outcome.result.invoice] : [],
  );
}

function misses(result: InterchangeResult) {
  return result.unresolved.map((u) => `${u.kind} ${u.value}`);
}

describe('node-x12 856 (one order, items with LIN01, shipment TD1)', () => {
  const result = run(fixture('x12/node-x12-856.edi'));

  it('reports the pick of both lines and the stage of the order', () => {
    expect(result.events).toMatchObject([
      {
        type: 'PICK_COMPLETED',
        orderRef: '99999817',
        site: 'CLE1',
        occurredAt: '2011-12-06T14:24:28-05:00',
        payload: {
          lines: [
            { lineNo: 1, quantity: '24', uom: 'EA' },
            { lineNo: 2, quantity: '6', uom: 'EA' },
          ],
        },
      },
      {
        type: 'PACKED_STAGED',
        payload: { handlingUnits: 2, weight: { value: '60.31', unit: 'LB' }, dock: 'S2' },
      },
    ]);
  });

  it('invents no volume: the stage is refused by the canonical schema for that field alone', () => {
    const [pick, pack] = parsed(result);
    expect(pick?.ok).toBe(true);
    expect(pack).toMatchObject({
      ok: false,
      issues: [{ path: 'payload.volume', reason: 'is required' }],
    });
    expect(result.warnings).toContainEqual(
      expect.objectContaining({
        code: 'MISSING_REQUIRED',
        message: 'the notice gives no volume for this order',
      }),
    );
  });

  it('is acknowledged as accepted', () => {
    expect(ak(result)).toEqual(['AK5*A', 'AK9*A*1*1*1']);
    expect(result.unresolved).toEqual([]);
  });
});

describe('EdiEngine 856 crossdock (two stores, packs with SSCCs, items without LIN01)', () => {
  const result = run(fixture('x12/ediengine-856-crossdock.edi'));

  it('reports each order with its share of the shipment TD1', () => {
    expect(result.events.map((e) => [e.type, e.orderRef])).toEqual([
      ['PICK_COMPLETED', 'POREF00'],
      ['PACKED_STAGED', 'POREF00'],
      ['PICK_COMPLETED', 'POREF01'],
      ['PACKED_STAGED', 'POREF01'],
    ]);
    expect(result.events[1]?.payload).toEqual({
      handlingUnits: 4,
      weight: { value: '19.2', unit: 'LB' },
      volume: { value: '98.4', unit: 'FT3' },
      dock: 'X1',
    });
    expect(result.events[3]?.payload).toMatchObject({ handlingUnits: 1, weight: { value: '4.8' } });
    expect(parsed(result).every((p) => p.ok)).toBe(true);
  });

  it('holds back the picks whose UPCs match no SKU', () => {
    expect(misses(result)).toEqual([
      'SKU EN:0000000000831',
      'SKU UP:0000000000283',
      'SKU UP:0000000000203',
    ]);
    expect(result.unresolved.every((u) => u.eventIds[0] === result.events[0]?.eventId)).toBe(true);
  });
});

describe('EdiEngine 940 (newline terminator, no final newline, ISA12 00400)', () => {
  const result = run(fixture('x12/ediengine-940.edi'));

  it('releases the order with catalogue prices and the requested ship date', () => {
    expect(result.events).toMatchObject([
      {
        type: 'ORDER_RELEASED',
        orderRef: '538686',
        site: 'DAL1',
        payload: {
          customerCode: 'CUST-DECO',
          shipToCode: 'DECO-ST1',
          requestedDate: '2000-02-04',
          lines: [
            { lineNo: 1, skuCode: 'SKU-STRUDEL-BB', quantity: '12', uom: 'CS', unitPrice: '18.50' },
            { lineNo: 2, skuCode: 'SKU-STRUDEL-CN', quantity: '32', uom: 'CS' },
            { lineNo: 3, quantity: '12', uom: 'CS', unitPrice: '0' },
          ],
        },
      },
    ]);
    expect(parsed(result)[0]?.ok).toBe(true);
  });

  it('names the warehouse and the third line it cannot map, holding the release back', () => {
    expect(misses(result)).toEqual(['LOCATION 0000000000140', 'SKU UA:000000000330']);
    expect(ak(result)).toEqual(['AK5*A', 'AK9*A*1*1*1']);
  });
});

describe('Canada Post 214 (19 sets, padded B10, zero-padded counts, time codes)', () => {
  const result = run(fixture('x12/omniparser-canadapost-214.edi'));
  const statuses = result.sets.flatMap((s) =>
    s.outcome?.kind === 'EVENTS' ? (s.outcome.statuses ?? []) : [],
  );

  it('turns AF into DEPARTED and D1 into DELIVERED, and keeps every other status', () => {
    const count = (code: string) => statuses.filter((s) => s.code === code).length;
    expect([count('AF'), count('XB'), count('AP'), count('AH'), count('CA'), count('D1')]).toEqual([
      7, 6, 3, 1, 1, 1,
    ]);
    expect(result.events.map((e) => e.type).sort()).toEqual(
      [...Array(7).fill('DEPARTED'), 'DELIVERED'].sort(),
    );
    expect(parsed(result).every((p) => p.ok)).toBe(true);
  });

  it('reads each time in its time code and the trimmed shipment id', () => {
    expect(result.events[0]).toMatchObject({
      type: 'DELIVERED',
      shipmentRef: '4343638098146166',
      occurredAt: '2019-11-02T16:48:00-06:00',
      site: 'TOR1',
    });
    // PT on 2 November 2019 is still daylight time; CS is standard time whatever the date.
    expect(statuses.find((s) => s.code === 'AH')?.at).toBe('2019-11-02T16:25:00-07:00');
    expect(statuses.find((s) => s.code === 'AF')?.at).toBe('2019-11-03T15:09:00-06:00');
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ code: 'INFERRED', set: '000000001' }),
    );
  });

  it('is acknowledged set by set', () => {
    expect(ak(result)).toEqual([...Array(19).fill('AK5*A'), 'AK9*A*19*19*19']);
  });
});

describe('UPS 210 (5 invoices, SE01 of the first declares 46 and holds 48)', () => {
  const result = run(fixture('x12/omniparser-ups-210.edi'));

  it('rejects the first set in its 997 with the SE01 at fault and accepts the other four', () => {
    expect(allFaults(result.check).map((f) => f.message)).toEqual([
      'SE01 in the transaction set with ST02 000158669: declares 46, holds 48',
    ]);
    expect(result.ack997).toContain('~AK2*210*000158669~AK3*SE*48**8~AK4*1*96*7*46~AK5*R*4~');
    expect(ak(result)).toEqual(['AK5*R*4', 'AK5*A', 'AK5*A', 'AK5*A', 'AK5*A', 'AK9*P*5*5*4']);
  });

  it('reads the four sound invoices, amounts in cents as L1/L3 are type N2', () => {
    const found = invoices(result);
    expect(found.map((i) => [i.invoiceNumber, i.total, i.currency])).toEqual([
      ['0000001502WW308', '94.15', 'USD'],
      ['0000004045WW308', '285.55', 'USD'],
      ['0000002063WW308', '1056.47', 'USD'],
      ['0000004469WW318', '21642.90', 'CAD'],
    ]);
    expect(found[0]?.charges.slice(0, 3)).toEqual([
      {
        lineNo: 1,
        code: 'SAC',
        description: null,
        amount: '8.00',
        rate: null,
        rateQualifier: null,
      },
      {
        lineNo: 2,
        code: '400',
        description: 'Freight',
        amount: '152.16',
        rate: null,
        rateQualifier: null,
      },
      {
        lineNo: 2,
        code: '275',
        description: null,
        amount: '-3.02',
        rate: null,
        rateQualifier: null,
      },
    ]);
    expect(found[0]?.shipmentRefs).toContain('1Z1502WW1264639290');
    expect(result.warnings.filter((w) => w.code === 'TOTAL_MISMATCH')).toEqual([]);
  });

  it('takes the first invoice too when the partner is lenient, with a warning', () => {
    const lenient = run(fixture('x12/omniparser-ups-210.edi'), true);
    expect(invoices(lenient)).toHaveLength(5);
    expect(ak(lenient)[0]).toBe('AK5*E*4');
    expect(lenient.warnings[0]?.code).toBe('LENIENT_ENVELOPE');
  });
});

describe('stupidedi 204 (ISA16 "|")', () => {
  it('is read as a load tender and acknowledged', () => {
    const result = run(fixture('x12/stupidedi-204-load-tender.edi'));
    expect(result.sets[0]?.outcome?.kind).toBe('LOAD_TENDER');
    expect(ak(result)).toEqual(['AK5*A', 'AK9*A*1*1*1']);
  });
});

describe('our rail 210, shaped like the CN sample (BOM, CRLF, indentation, ISA12 00201)', () => {
  it('reads the invoice in CAD with its three charges adding up to L3', () => {
    const result = run(fixture('x12/own-rail-210.edi'));
    expect(invoices(result)).toEqual([
      expect.objectContaining({
        invoiceNumber: '71400521',
        carrierCode: 'PRAIRIE-RAIL',
        currency: 'CAD',
        shipmentRefs: ['88417', '440912'],
        total: '1821.75',
        netAmountDue: '1821.75',
      }),
    ]);
    expect(invoices(result)[0]?.charges.map((c) => [c.code, c.amount, c.rate])).toEqual([
      ['400', '1520.00', '1520'],
      ['FUE', '215.00', '0.215'],
      ['GST', '86.75', '0.05'],
    ]);
    expect(ak(result)).toEqual(['AK5*A', 'AK9*A*1*1*1']);
  });
});

describe('our 940, shaped like the Simplot sample (CRLF terminators, GE02 and IEA02 wrong)', () => {
  const result = run(fixture('x12/own-940-crlf.edi'));

  it('names both trailer faults and still takes the sound set', () => {
    expect(allFaults(result.check).map((f) => f.code)).toEqual(['IEA02_CONTROL', 'GE02_CONTROL']);
    expect(ak(result)).toEqual(['AK5*A', 'AK9*E*1*1*1*4']);
    expect(result.ta1).toContain('~TA1*610000515*260113*0830*E*001~');
    expect(result.events).toMatchObject([
      {
        type: 'ORDER_RELEASED',
        orderRef: 'PF-40017',
        payload: {
          customerCode: 'CUST-PRAIRIE',
          shipToCode: 'NSG-GARLAND',
          lines: [
            { lineNo: 1, skuCode: 'SKU-OAT-CRISP', quantity: '240', uom: 'CS', unitPrice: '22.00' },
            { lineNo: 2, skuCode: 'SKU-GRANOLA', quantity: '60', uom: 'CS', unitPrice: '35.75' },
          ],
        },
      },
    ]);
    expect(parsed(result)[0]?.ok).toBe(true);
    expect(result.unresolved).toEqual([]);
  });
});

describe.skipIf(!sharedAvailable)(
  `the CDDL originals in ../shared/samples (${SKIP_REASON})`,
  () => {
    it('CN rail 210: the invoice, and its carrier CNRU unmapped', () => {
      const result = run(shared('x12/oopfactory-cn-rail-210.edi'));
      expect(invoices(result)[0]).toMatchObject({
        invoiceNumber: '28061234',
        currency: 'CAD',
        total: '2083.60',
      });
      expect(invoices(result)[0]?.charges.map((c) => c.amount)).toEqual([
        '1705.00',
        '244.33',
        '134.27',
      ]);
      expect(misses(result)).toEqual(['CARRIER CNRU']);
      expect(ak(result)).toEqual(['AK5*A', 'AK9*A*1*1*1']);
    });

    it('Simplot 940: GE02 and IEA02 (940001777) named, the sound set taken', () => {
      const result = run(shared('x12/oopfactory-simplot-940.edi'));
      expect(allFaults(result.check).map((f) => f.message)).toEqual([
        'IEA02 in the interchange with ISA13 398161180: 940001777 does not match ISA13',
        'GE02 in the group with GS06 177818711: 940001777 does not match GS06',
      ]);
      expect(ak(result)).toEqual(['AK5*A', 'AK9*E*1*1*1*4']);
      expect(result.ta1).toContain('~TA1*398161180*111214*1400*E*001~');
      expect(result.events[0]).toMatchObject({ type: 'ORDER_RELEASED', orderRef: '01235639' });
      expect(misses(result)).toEqual([
        'LOCATION 708090',
        'SKU UK:10071179017073',
        'PARTNER_ID 0377912820000',
      ]);
    });
  },
);

describe('re-sending a file', () => {
  it.each([
    'x12/omniparser-canadapost-214.edi',
    'x12/ediengine-856-crossdock.edi',
    'x12/own-945.edi',
  ])('%s gives the same event ids, each unique', (file) => {
    const ids = run(fixture(file)).events.map((e) => e.eventId);
    expect(run(fixture(file)).events.map((e) => e.eventId)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(run(fixture(file)).key).toBe(run(fixture(file)).key);
  });
});

describe('the CSV samples', () => {
  it.todo(
    'go through the CSV import once it exists (issue 5, item 3); our own same-shape files wait in tests/fixtures/samples/csv',
  );
});
