import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { POST } from '../../app/api/v1/epcis/route';
import { prisma } from '../../server/db/client';
import { glnOf } from '../../server/integration/gs1-keys';
import { createApiKey, createPartner, createSite, uniqueCode } from '../fixtures/partner';
import { fixture } from './helpers/samples';

// POST /api/v1/epcis through its exported handler, against the run's real database. The world
// knows the customer location that GS1 example 9.6.1 receives at (by its GLN), so its delivery
// is recorded; the site it ships from is named by a GLN, which our sites have no column for, so
// that event is held back as an unresolved location.

const SHIPPING = 'epcis/gs1-example-9.6.1-objectevent-shipping-receiving.jsonld';
const RECEIVED_AT = 'urn:epc:id:sgln:0012345.11111.0';
const SHIPPED_FROM = 'urn:epc:id:sgln:0614141.07346.1234';

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

let partnerId: string;
let authorization: string;
let withoutEpcis: string;

beforeAll(async () => {
  const site = await createSite(prisma);
  partnerId = (await createPartner(prisma)).id;
  const key = await createApiKey(prisma, { partnerId, siteIds: [site.id] });
  await prisma.apiKey.update({ where: { id: key.id }, data: { canSendEpcis: true } });
  authorization = key.authorization;
  withoutEpcis = (await createApiKey(prisma, { partnerId, siteIds: [site.id] })).authorization;
  const customer = await prisma.customer.create({
    data: { code: uniqueCode('CUST'), name: 'Acme', creditLimit: '1000' },
  });
  await prisma.customerLocation.create({
    data: {
      customerId: customer.id,
      code: uniqueCode('DC'),
      name: 'Acme DC',
      city: 'Dallas',
      postalCode: '75001',
      country: 'US',
      gln: glnOf(RECEIVED_AT),
    },
  });
});

afterAll(async () => {
  await prisma.$disconnect();
});

async function send(body: string, key = authorization): Promise<Answer> {
  const request = new Request('http://localhost/api/v1/epcis', {
    method: 'POST',
    headers: { authorization: key, 'content-type': 'application/ld+json' },
    body,
  });
  const response = await POST(request, undefined);

  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('POST /api/v1/epcis: GS1 example 9.6.1', () => {
  it('records the delivery at the known customer location, linked to the stored document', async () => {
    const answer = await send(fixture(SHIPPING));
    const documentId = answer.body.documentId as string;

    expect(answer).toMatchObject({
      status: 200,
      body: {
        events: { accepted: 1, rejected: 0, results: [{ status: 'accepted' }] },
        unresolved: [{ kind: 'LOCATION', value: SHIPPED_FROM }],
      },
    });
    const events = await prisma.shipmentEvent.findMany({ where: { documentId } });
    expect(events.map((e) => [e.type, e.source])).toEqual([['DELIVERED', 'EPCIS']]);
    const document = await prisma.integrationDocument.findUniqueOrThrow({
      where: { id: documentId },
    });
    expect(document).toMatchObject({ partnerId, format: 'EPCIS', body: fixture(SHIPPING) });
    expect(document.result).toMatchObject({ documentId, events: { accepted: 1 } });
  });

  it('answers a resent document with its events as duplicates', async () => {
    const answer = await send(fixture(SHIPPING));

    expect(answer).toMatchObject({
      status: 200,
      body: { events: { accepted: 0, duplicates: 1 } },
    });
  });
});

describe('POST /api/v1/epcis: refusals', () => {
  it.each([
    ['not JSON', 'ISA*00*', /not JSON/],
    ['JSON that is not EPCIS', JSON.stringify({ hello: 'world' }), /not EPCIS/],
  ])('answers 400 for a body %s', async (_name, body, reason) => {
    expect(await send(body)).toMatchObject({
      status: 400,
      body: { error: 'BAD_REQUEST', reason: expect.stringMatching(reason) },
    });
  });

  it('answers 403 for a key that may not send EPCIS', async () => {
    expect(await send(fixture(SHIPPING), withoutEpcis)).toMatchObject({
      status: 403,
      body: { error: 'FORBIDDEN', reason: expect.stringMatching(/epcis/) },
    });
  });
});
