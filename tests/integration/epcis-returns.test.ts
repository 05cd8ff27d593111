import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { POST } from '../../app/api/v1/epcis/route';
import { prisma } from '../../server/db/client';
import { createApiKey, createPartner, createSite, uniqueCode } from '../fixtures/partner';
import { fixture } from './helpers/samples';

// A return is goods we shipped received back at one of our sites. The EPCs of a packing or
// shipping event at our site are kept when its document arrives; a later receipt of the same SSCC at our site is a
// RETURN_RECEIVED of the order the packing named, and a receipt of EPCs we never shipped is an
// INBOUND_RECEIPT. Built on GS1's example 9.6.3 (an aggregation received at a location), sent
// over the route with its bizStep and ids changed.

const AGGREGATION = 'epcis/gs1-example-9.6.3-aggregationevent.jsonld';
const OUR_DOCK = 'urn:epc:id:sgln:0614141.00888.0';
const SSCC = 'urn:epc:id:sscc:0614141.1234567890';

let authorization: string;
let orderRef: string;

beforeAll(async () => {
  const site = await createSite(prisma);
  const partner = await createPartner(prisma);
  const key = await createApiKey(prisma, { partnerId: partner.id, siteIds: [site.id] });
  await prisma.apiKey.update({ where: { id: key.id }, data: { canSendEpcis: true } });
  authorization = key.authorization;
  const sku = await prisma.sku.create({
    data: {
      code: uniqueCode('SKU-WIDGET'),
      name: 'Widget',
      unitPrice: '4.50',
      weightKg: '0.5',
      volumeM3: '0.001',
    },
  });
  await prisma.partnerMapping.createMany({
    data: [
      { partnerId: partner.id, kind: 'LOCATION', externalId: OUR_DOCK, siteId: site.id },
      { partnerId: partner.id, kind: 'SKU', externalId: '10614141073464', skuId: sku.id },
    ],
  });
  orderRef = uniqueCode('PO-RET');
});

afterAll(async () => {
  await prisma.$disconnect();
});

/** Example 9.6.3 as `bizStep` at our dock, without its unmapped class quantities. */
function document(bizStep: string, eventID: string, parentID = SSCC, po?: string): string {
  const doc = JSON.parse(fixture(AGGREGATION)) as {
    epcisBody: { eventList: Record<string, unknown>[] };
  };
  const [event] = doc.epcisBody.eventList;
  Object.assign(event!, { bizStep, eventID: `urn:uuid:${eventID}`, parentID });
  delete event!.childQuantityList;
  if (po) {
    event!.bizTransactionList = [
      { type: 'po', bizTransaction: `urn:epcglobal:cbv:bt:0614141073467:${po}` },
    ];
  }

  return JSON.stringify(doc);
}

async function send(body: string): Promise<string> {
  const response = await POST(
    new Request('http://localhost/api/v1/epcis', {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/ld+json' },
      body,
    }),
    undefined,
  );
  expect(response.status).toBe(200);

  return ((await response.json()) as { documentId: string }).documentId;
}

async function eventsOf(documentId: string) {
  return prisma.shipmentEvent.findMany({
    where: { documentId },
    select: { type: true, orderRef: true, shipmentRef: true },
  });
}

describe('EPCIS returns', () => {
  it('keeps the EPCs of a shipping event at our site, once however often it is sent', async () => {
    const shipping = document('shipping', crypto.randomUUID(), SSCC, orderRef);
    const documentId = await send(shipping);
    expect(await eventsOf(documentId)).toEqual([{ type: 'DEPARTED', orderRef, shipmentRef: null }]);
    await send(shipping);
    const kept = await prisma.shippedEpc.findMany({ where: { orderRef }, orderBy: { epc: 'asc' } });
    expect(kept.map((k) => k.epc)).toEqual([
      'urn:epc:id:sgtin:0614141.107346.2017',
      'urn:epc:id:sgtin:0614141.107346.2018',
      SSCC,
    ]);
  });

  it('reads a receipt of an SSCC we shipped as a return of its order', async () => {
    const documentId = await send(document('receiving', crypto.randomUUID()));
    expect(await eventsOf(documentId)).toEqual([
      { type: 'RETURN_RECEIVED', orderRef, shipmentRef: null },
    ]);
  });

  it('reads a receipt of EPCs we never shipped as an inbound receipt', async () => {
    const unknown = 'urn:epc:id:sscc:0614141.9999999999';
    const body = document('receiving', crypto.randomUUID(), unknown);
    const withOtherChildren = body
      .replaceAll('107346.2017', '107346.7017')
      .replaceAll('107346.2018', '107346.7018');
    const documentId = await send(withOtherChildren);
    expect(await eventsOf(documentId)).toEqual([
      { type: 'INBOUND_RECEIPT', orderRef: null, shipmentRef: null },
    ]);
  });
});
