import { describe, expect, it } from 'vitest';

import { parseEvent } from '../../server/domain/events/schema';
import { processEpcis } from '../../server/integration/epcis/map-epcis';
import { readEpcis } from '../../server/integration/epcis/schema';
import type { MapResult, MappingContext } from '../../server/integration/types';
import { context, fixture, NOW, REFERENCES } from './helpers/samples';

// The two GS1 EPCIS 2.0 examples end to end, and the document shapes around them: the other
// @context URL, CBV terms in URN and Web Vocabulary form, events we do not read.

const SHIPPING = 'epcis/gs1-example-9.6.1-objectevent-shipping-receiving.jsonld';
const AGGREGATION = 'epcis/gs1-example-9.6.3-aggregationevent.jsonld';
const SSCC = 'urn:epc:id:sscc:0614141.1234567890';

function run(raw: unknown, overrides: Partial<MappingContext> = {}): MapResult {
  const result = processEpcis(raw, context(overrides));
  if (!result.ok) throw new Error(result.reason);

  return result.result;
}

type Json = { epcisBody: { eventList: Record<string, unknown>[] } } & Record<string, unknown>;

function document(file: string): Json {
  return JSON.parse(fixture(file)) as Json;
}

function withEvent(file: string, change: Record<string, unknown>, index = 0): Json {
  const doc = document(file);
  doc.epcisBody.eventList[index] = { ...doc.epcisBody.eventList[index], ...change };

  return doc;
}

describe('example 9.6.1: shipping at our site, receiving at a customer', () => {
  const result = run(fixture(SHIPPING));

  it('departs from the site its readPoint names and is delivered at the customer', () => {
    expect(result.events).toEqual([
      {
        eventId:
          'epcis:ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0',
        type: 'DEPARTED',
        occurredAt: '2005-04-03T20:33:31.116-06:00',
        site: 'DAL1',
        orderRef: '12345678',
        payload: {},
      },
      {
        eventId:
          'epcis:ni:///sha-256;00e1e6eba3a7cc6125be4793a631f0af50f8322e0ab5f2c0bab994a11cec1d79?ver=CBV2.0',
        type: 'DELIVERED',
        occurredAt: '2005-04-04T20:33:31.116-06:00',
        site: 'DAL1',
        orderRef: '12345678',
        shipmentRef: '1152',
        payload: {},
      },
    ]);
    expect(result.events.map((e) => parseEvent(e, { now: NOW }).ok)).toEqual([true, true]);
    expect(result.unresolved).toEqual([]);
  });

  it('holds the delivery back while the customer location is unmapped', () => {
    const { 'urn:epc:id:sgln:0012345.11111.0': _, ...locations } = REFERENCES.locations;
    const held = run(fixture(SHIPPING), { references: { ...REFERENCES, locations } });
    expect(held.events.map((e) => e.type)).toEqual(['DEPARTED']);
    expect(held.unresolved).toEqual([
      {
        kind: 'LOCATION',
        value: 'urn:epc:id:sgln:0012345.11111.0',
        segment: 'eventList[1].bizLocation',
        eventIds: [result.events[1]?.eventId],
      },
    ]);
  });
});

describe('example 9.6.3: an aggregation received at our site', () => {
  it('is a return when its SSCC is one we shipped', () => {
    const result = run(fixture(AGGREGATION), {
      shippedEpcs: { [SSCC]: { shipmentRef: 'SHP-1001' } },
    });
    expect(result.events).toMatchObject([
      {
        type: 'RETURN_RECEIVED',
        site: 'DAL1',
        shipmentRef: 'SHP-1001',
        occurredAt: '2013-06-08T16:58:56.591+02:00',
        payload: {
          disposition: 'in_progress',
          lines: [
            { gtin: '10614141073464', skuCode: 'SKU-EPC-WIDGET', quantity: '2', uom: 'EA' },
            { gtin: '04012345987652', skuCode: null, quantity: '10', uom: 'EA' },
            { gtin: '04012345123456', skuCode: null, quantity: '200.5', uom: 'KGM' },
          ],
        },
      },
    ]);
    expect(result.unresolved.map((u) => [u.value, u.segment])).toEqual([
      ['04012345987652', 'eventList[0].childQuantityList[0]'],
      ['04012345123456', 'eventList[0].childQuantityList[1]'],
    ]);
  });

  it('is an inbound receipt, moving no shipment, when it is not', () => {
    const [receipt] = run(fixture(AGGREGATION)).events;
    expect(receipt).toMatchObject({ type: 'INBOUND_RECEIPT', payload: { bizTransactions: [] } });
    expect(receipt).not.toHaveProperty('shipmentRef');
    expect(receipt).not.toHaveProperty('orderRef');
  });

  it('writes receipts the canonical schema takes once their GTINs map to SKUs', () => {
    const skus = {
      ...REFERENCES.skus,
      '04012345987652': { skuCode: 'SKU-EPC-BOX', unitPrice: '1', currency: 'USD' },
      '04012345123456': { skuCode: 'SKU-EPC-BULK', unitPrice: '1', currency: 'USD' },
    };
    const mapped = { references: { ...REFERENCES, skus } };
    const [receipt] = run(fixture(AGGREGATION), mapped).events;
    expect(parseEvent(receipt, { now: NOW })).toMatchObject({
      ok: true,
      event: { type: 'INBOUND_RECEIPT', site: 'DAL1', payload: { bizTransactions: [] } },
    });
    const returned = run(fixture(AGGREGATION), {
      ...mapped,
      shippedEpcs: { [SSCC]: { shipmentRef: 'SHP-1001' } },
    });
    expect(parseEvent(returned.events[0], { now: NOW })).toMatchObject({
      ok: true,
      event: { type: 'RETURN_RECEIVED', shipmentRef: 'SHP-1001' },
    });
  });

  it('names the missing SKU of a receipt whose GTIN maps to none', () => {
    const [receipt] = run(fixture(AGGREGATION)).events;
    expect(parseEvent(receipt, { now: NOW })).toMatchObject({
      ok: false,
      issues: [{ path: 'payload.lines[1].skuCode' }, { path: 'payload.lines[2].skuCode' }],
    });
  });
});

describe('document shapes', () => {
  it.each([
    ['a CBV 1.x URN', 'urn:epcglobal:cbv:bizstep:shipping'],
    ['a GS1 Web Vocabulary URI', 'https://ref.gs1.org/cbv/BizStep-shipping'],
    ['the bare term', 'shipping'],
  ])('reads bizStep as %s', (_, bizStep) => {
    expect(run(withEvent(SHIPPING, { bizStep })).events[0]?.type).toBe('DEPARTED');
  });

  it('accepts the published @context URL as well as the draft one', () => {
    const doc = document(SHIPPING);
    doc['@context'] = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'];
    expect(run(doc).events).toHaveLength(2);
  });

  it.each([
    ['not JSON', '<EPCISDocument/>'],
    [
      'JSON without an EPCIS context',
      JSON.stringify({ ...document(SHIPPING), '@context': 'https://schema.org' }),
    ],
    ['an event, not a document', JSON.stringify(document(SHIPPING).epcisBody.eventList[0])],
  ])('refuses %s', (_, raw) => {
    expect(readEpcis(raw).ok).toBe(false);
  });

  it('reads each event on its own: a broken or foreign one spoils none of the others', () => {
    const doc = document(SHIPPING);
    doc.epcisBody.eventList.push({
      type: 'TransformationEvent',
      eventTime: '2005-04-05T10:00:00Z',
    });
    doc.epcisBody.eventList[0] = { ...doc.epcisBody.eventList[0], eventTime: '2005-04-03 20:33' };
    const result = run(doc);
    expect(result.events.map((e) => e.type)).toEqual(['DELIVERED']);
    expect(result.warnings.map((w) => [w.segment, w.code])).toEqual([
      ['eventList[0]', 'NOT_MAPPED'],
      ['eventList[2]', 'NOT_MAPPED'],
    ]);
    expect(result.warnings[1]?.message).toBe('TransformationEvent is not read here');
  });

  it('moves nothing for a DELETE', () => {
    expect(run(withEvent(SHIPPING, { action: 'DELETE' })).events.map((e) => e.type)).toEqual([
      'DELIVERED',
    ]);
  });

  it('stages a unit packed at our site, with its handling unit and the site dock, measuring nothing', () => {
    const packing = withEvent(AGGREGATION, {
      bizStep: 'packing',
      action: 'ADD',
      bizLocation: { id: 'urn:epc:id:sgln:0614141.07346.0' },
      bizTransactionList: [
        {
          type: 'urn:epcglobal:cbv:btt:po',
          bizTransaction: 'urn:epcglobal:cbv:bt:0614141073467:PO-77',
        },
      ],
    });
    const result = run(packing);
    expect(result.events).toMatchObject([
      { type: 'PACKED_STAGED', orderRef: 'PO-77', payload: { handlingUnits: 1, dock: 'D4' } },
    ]);
    expect(result.warnings).toContainEqual(
      expect.objectContaining({
        code: 'MISSING_REQUIRED',
        message: 'EPCIS carries no weight or volume',
      }),
    );
    const issues = parseEvent(result.events[0], { now: NOW });
    expect(issues).toMatchObject({
      ok: false,
      issues: [{ path: 'payload.weight' }, { path: 'payload.volume' }],
    });
  });

  it('derives a stable id from the event itself when it has no eventID', () => {
    const doc = withEvent(SHIPPING, { eventID: undefined });
    const [first] = run(doc).events;
    const event = doc.epcisBody.eventList[0]!;
    const reversed = Object.fromEntries(Object.entries(event).reverse());
    const reordered = {
      ...doc,
      epcisBody: { eventList: [reversed, ...doc.epcisBody.eventList.slice(1)] },
    };
    expect(Object.keys(reversed)[0]).not.toBe(Object.keys(event)[0]);
    expect(first?.eventId).toMatch(/^epcis:sha256:[0-9a-f]{64}$/);
    expect(run(reordered).events[0]?.eventId).toBe(first?.eventId);
  });
});
