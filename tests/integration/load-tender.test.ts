import fc from 'fast-check';
import { X12Parser } from 'node-x12';
import { describe, expect, it } from 'vitest';

import { loadTenderSchema, type LoadTender } from '../../server/integration/x12/load-tender';
import { read204 } from '../../server/integration/x12/read-204';
import { readInterchange } from '../../server/integration/x12/read-interchange';
import { write204, type Write204Options } from '../../server/integration/x12/write-204';
import { fixture, NOW } from './helpers/samples';

// The 204 load tender: the stupidedi sample read into the model, and our writer's output read
// back to the very model it was written from, for the sample and for any model.

function readTender(raw: string): LoadTender {
  const read = readInterchange(raw);
  if (!read.ok) throw new Error(read.reason);
  const tender = read204(read.document.interchanges[0]!.groups[0]!.sets[0]!).tender;
  if (!tender) throw new Error('no tender');

  return tender;
}

const OPTIONS: Write204Options = {
  sender: { qualifier: 'ZZ', id: 'CT TOWER' },
  receiver: { qualifier: '02', id: 'ODFL' },
  controlNumber: 4100,
  groupControlNumber: 4100,
  setControlNumber: 1,
  now: NOW,
};

describe('the stupidedi 204', () => {
  const tender = readTender(fixture('x12/stupidedi-204-load-tender.edi'));

  it('reads into a valid model: shipment, carrier from L11*SCA, two stops with windows and orders', () => {
    expect(loadTenderSchema.safeParse(tender).success).toBe(true);
    expect(tender).toMatchObject({
      shipmentRef: '12345678',
      carrierScac: 'RECD',
      paymentMethod: 'PP',
      purpose: '00',
      equipment: { initial: null, number: 'ZZ', type: 'TL' },
      dates: [
        { qualifier: '64', date: '2022-08-22', time: '11:20', timeQualifier: '1', timeCode: 'ET' },
      ],
      totalWeight: { value: '21230.12', unit: 'LB' },
      totalCharge: '2152.67',
      ladingQuantity: 0,
    });
    expect(
      tender.stops.map((s) => [
        s.sequence,
        s.reason,
        s.party?.entity,
        s.party?.city,
        s.orders.length,
      ]),
    ).toEqual([
      [1, 'LD', 'SF', 'ATTALLA', 2],
      [2, 'UL', 'ST', 'ORLANDO', 2],
    ]);
    expect(tender.stops[1]).toMatchObject({
      pallets: 37,
      dates: [
        { qualifier: '70', date: '2022-08-24', time: '07:00', timeQualifier: 'X', timeCode: 'ED' },
      ],
      party: {
        name: 'PUBLIX SUPER MARKETS - CHART',
        idQualifier: '93',
        id: '28276820017',
        address: ['1950 SAND LAKE RD'],
      },
      contacts: [
        { function: 'DC', name: 'RECEIVING RECEIVING', qualifier: 'TE', number: '(941)688-4444' },
      ],
    });
    expect(tender.stops[0]?.orders[0]).toEqual({
      reference: '4728162872',
      purchaseOrder: '9999999-01',
      quantity: { value: '0', unit: 'PC' },
      weight: { value: '8888.88', unit: 'LB' },
      commodity: { code: 'RBU', qualifier: 'N' },
      references: [
        { qualifier: 'DP', value: 'RBU' },
        { qualifier: 'DJ', value: '237291298-01' },
        { qualifier: 'SI', value: '22982719' },
      ],
    });
  });

  it('written by us, parses strictly and reads back to the same model', () => {
    const written = write204(tender, OPTIONS);
    expect(() => new X12Parser(true).parse(written)).not.toThrow();
    expect(written).toContain(
      '~GS*SM*CT TOWER*ODFL*20260201*1200*4100*X*004010~ST*204*0001~B2**RECD**12345678*L*PP~',
    );
    expect(readTender(written)).toEqual(tender);
  });

  it('refuses a model the schema refuses rather than writing a broken 204', () => {
    expect(() => write204({ ...tender, stops: tender.stops.slice(0, 1) }, OPTIONS)).toThrow(
      /at least a pick-up and a delivery/,
    );
  });
});

const text = fc.stringMatching(/^[A-Z0-9][A-Z0-9 ./()-]{0,18}[A-Z0-9]$/);
const code = fc.stringMatching(/^[A-Z0-9]{1,4}$/);
const decimal = fc.stringMatching(/^\d{1,6}(\.\d{1,3})?$/);
const money = fc.stringMatching(/^-?(0|[1-9]\d{0,5})\.\d{2}$/).filter((m) => !/^-0\.00$/.test(m));
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const weight = fc.record({ value: decimal, unit: fc.constantFrom('KG' as const, 'LB' as const) });
const reference = fc.record({ qualifier: code, value: text });
const date = fc.record({
  qualifier: code,
  date: fc
    .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  time: nullable(
    fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
  ),
  timeQualifier: nullable(code),
  timeCode: nullable(code),
});
const party = fc.record({
  entity: code,
  name: text,
  idQualifier: nullable(code),
  id: nullable(text),
  address: fc.array(text, { maxLength: 2 }),
  city: text,
  region: nullable(text),
  postalCode: nullable(text),
  country: nullable(text),
});
const order = fc.record({
  reference: text,
  purchaseOrder: nullable(text),
  quantity: nullable(fc.record({ value: decimal, unit: code })),
  weight: nullable(weight),
  commodity: nullable(fc.record({ code: text, qualifier: nullable(code) })),
  references: fc.array(reference, { maxLength: 3 }),
});
const stop = fc.record({
  sequence: fc.integer({ min: 1, max: 999 }),
  reason: code,
  weight: nullable(weight),
  quantity: nullable(fc.record({ value: decimal, unit: code })),
  pallets: nullable(fc.integer({ min: 0, max: 99 })),
  references: fc.array(reference, { maxLength: 2 }),
  dates: fc.array(date, { maxLength: 2 }),
  notes: fc.array(fc.record({ code, text }), { maxLength: 2 }),
  party: nullable(party),
  contacts: fc.array(
    fc.record({ function: code, name: text, qualifier: nullable(code), number: nullable(text) }),
    { maxLength: 2 },
  ),
  orders: fc.array(order, { maxLength: 3 }),
});
const tenderArb: fc.Arbitrary<LoadTender> = fc.record({
  shipmentRef: text,
  carrierScac: fc.stringMatching(/^[A-Z]{2,4}$/),
  paymentMethod: code,
  purpose: fc.constantFrom('00' as const, '01' as const, '04' as const),
  references: fc.array(reference, { maxLength: 3 }),
  dates: fc.array(date, { maxLength: 2 }),
  notes: fc.array(fc.record({ code, text }), { maxLength: 2 }),
  equipment: nullable(fc.record({ initial: nullable(code), number: nullable(text), type: code })),
  stops: fc.array(stop, { minLength: 2, maxLength: 4 }),
  totalWeight: nullable(weight),
  totalCharge: nullable(money),
  ladingQuantity: nullable(fc.integer({ min: 0, max: 9999 })),
});

describe('204 writer property', () => {
  it('any valid model parses strictly and reads back to itself', () => {
    fc.assert(
      fc.property(tenderArb, (tender) => {
        const written = write204(tender, OPTIONS);
        new X12Parser(true).parse(written);
        expect(readTender(written)).toEqual(loadTenderSchema.parse(tender));
      }),
      { numRuns: 200 },
    );
  });
});
