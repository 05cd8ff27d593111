import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { POST } from '../../app/api/v1/edi/route';
import { prisma } from '../../server/db/client';
import { createApiKey, createPartner, createSite, uniqueCode } from '../fixtures/partner';
import { buildInterchange } from './helpers/build-x12';
import { fixture } from './helpers/samples';

// POST /api/v1/edi through its exported handler, against the run's real database. The world
// holds what our own 945 names (site CTW-DAL1, its two GTINs, the carrier ODFL), so that its
// references resolve from master data; the other samples' references match nothing here.

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

interface InterchangeAnswer {
  documentId: string;
  key: string;
  duplicate: boolean;
  envelope: { sets: { controlNumber: string; status: string; faults: { element: string }[] }[] };
  events: {
    accepted: number;
    rejected: number;
    heldBack: string[];
    results: { eventId: string; status: string; issues?: { path: string }[] }[];
  };
  unresolved: { kind: string; value: string }[];
  ack997: string;
  ta1: string | null;
}

let partnerId: string;
let authorization: string;
let withoutEdi: string;

beforeAll(async () => {
  const site = await createSite(prisma, 'CTW-DAL1');
  const partner = await createPartner(prisma);
  partnerId = partner.id;
  const key = await createApiKey(prisma, { partnerId, siteIds: [site.id] });
  await prisma.apiKey.update({ where: { id: key.id }, data: { canSendEdi: true } });
  authorization = key.authorization;
  withoutEdi = (await createApiKey(prisma, { partnerId, siteIds: [site.id] })).authorization;
  for (const gtin of ['044120005511', '044120007829']) {
    await prisma.sku.create({
      data: {
        code: uniqueCode('SKU'),
        name: gtin,
        gtin,
        unitPrice: '1',
        weightKg: '1',
        volumeM3: '0.01',
      },
    });
  }
  await prisma.carrier.create({
    data: { code: uniqueCode('CAR'), scac: 'ODFL', name: 'Old Dominion' },
  });
});

afterAll(async () => {
  await prisma.$disconnect();
});

async function send(body: string, key = authorization): Promise<Answer> {
  const request = new Request('http://localhost/api/v1/edi', {
    method: 'POST',
    headers: { authorization: key, 'content-type': 'application/edi-x12' },
    body,
  });
  const response = await POST(request, undefined);

  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function only(answer: Answer): InterchangeAnswer {
  const interchanges = answer.body.interchanges as InterchangeAnswer[];
  expect(interchanges).toHaveLength(1);

  return interchanges[0]!;
}

const documentsOf = (controlRef: string) =>
  prisma.integrationDocument.findMany({ where: { partnerId, controlRef } });

describe('POST /api/v1/edi: a sound 945 whose references are our master data', () => {
  let first: InterchangeAnswer;

  beforeAll(async () => {
    const answer = await send(fixture('x12/own-945.edi'));
    expect(answer.status).toBe(200);
    first = only(answer);
  });

  it('records its events with source EDI, linked to the stored document', async () => {
    expect(first).toMatchObject({ duplicate: false, unresolved: [] });
    expect(first.events.accepted).toBeGreaterThan(0);
    const events = await prisma.shipmentEvent.findMany({ where: { documentId: first.documentId } });

    expect(events).toHaveLength(first.events.accepted);
    expect(new Set(events.map((e) => e.source))).toEqual(new Set(['EDI']));
    const [document] = await documentsOf(first.key);
    expect(document).toMatchObject({
      id: first.documentId,
      format: 'X12',
      body: fixture('x12/own-945.edi'),
    });
    expect(document?.result).toMatchObject({ documentId: first.documentId, ack997: first.ack997 });
  });

  it('rejects the stage the advice gives no dock for, with the reason', () => {
    const packed = first.events.results.find((r) => r.eventId.endsWith('PACKED_STAGED'));

    expect(packed).toMatchObject({ status: 'rejected', issues: [{ path: 'payload.dock' }] });
  });

  it('answers with a 997 accepting the set', () => {
    expect(first.ack997).toMatch(/^ISA\*/);
    expect(first.ack997).toContain('AK1*SW*107~AK2*945*0107~AK5*A~AK9*A*1*1*1~');
  });

  it('answers a repeat as a duplicate with the first result, changing nothing', async () => {
    const before = await prisma.shipmentEvent.count({ where: { partnerId } });
    const again = only(await send(fixture('x12/own-945.edi')));

    expect(again).toMatchObject({
      duplicate: true,
      documentId: first.documentId,
      ack997: first.ack997,
    });
    expect(await documentsOf(first.key)).toHaveLength(1);
    expect(await prisma.shipmentEvent.count({ where: { partnerId } })).toBe(before);
  });
});

describe('POST /api/v1/edi: documents the 997 rejects or whose references match nothing', () => {
  it('answers the UPS 210 with a 997 that rejects the first set naming SE01', async () => {
    const answer = await send(fixture('x12/omniparser-ups-210.edi'));
    const result = only(answer);

    expect(answer.status).toBe(200);
    expect(result.envelope.sets[0]).toMatchObject({
      controlNumber: '000158669',
      status: 'R',
      faults: [{ element: 'SE01' }],
    });
    expect(result.ack997).toContain('AK2*210*000158669~AK3*SE*48**8~AK4*1*96*7*46~AK5*R*4~');
    expect(result.ack997).toContain('AK9*P*5*5*4~');
    expect(await documentsOf(result.key)).toHaveLength(1);
  });

  it('keeps the 940 and names its unmatched references, holding its order back', async () => {
    const result = only(await send(fixture('x12/ediengine-940.edi')));

    expect(result.unresolved.map((u) => u.kind)).toEqual(
      expect.arrayContaining(['PARTNER_ID', 'LOCATION', 'SKU']),
    );
    expect(result.events).toMatchObject({
      accepted: 0,
      heldBack: [expect.stringMatching(/ORDER_RELEASED$/)],
    });
    expect(await prisma.shipmentEvent.count({ where: { documentId: result.documentId } })).toBe(0);
    expect(await documentsOf(result.key)).toHaveLength(1);
  });
});

describe('POST /api/v1/edi: envelopes', () => {
  it('answers a mismatched IEA02 with a TA1 beside the 997', async () => {
    const control = '000000501';
    const body = buildInterchange({
      control,
      iea02: '000000999',
      groups: [{ control: '41', sets: [{ control: '0001' }] }],
    });
    const result = only(await send(body));

    expect(result.ta1).toMatch(/TA1\*/);
    expect(result.ack997).toMatch(/ST\*997\*/);
  });

  it('answers the second copy of an interchange in one body as a duplicate of the first', async () => {
    const control = '000000502';
    const one = buildInterchange({
      control,
      groups: [{ control: '42', sets: [{ control: '0001' }] }],
    });
    const [first, second] = (await send(one + one)).body.interchanges as InterchangeAnswer[];

    expect(first).toMatchObject({ duplicate: false });
    expect(second).toMatchObject({ duplicate: true, documentId: first?.documentId });
    expect(await documentsOf(first?.key ?? '')).toHaveLength(1);
  });
});

describe('POST /api/v1/edi: refusals', () => {
  it('answers 400 for a body that is not X12, storing nothing', async () => {
    const before = await prisma.integrationDocument.count({ where: { partnerId } });

    expect(await send('hello, this is not an interchange')).toMatchObject({
      status: 400,
      body: { error: 'BAD_REQUEST', reason: expect.stringMatching(/not X12/) },
    });
    expect(await prisma.integrationDocument.count({ where: { partnerId } })).toBe(before);
  });

  it('answers 401 without a key and 403 for a key that may not send EDI', async () => {
    expect(await send(fixture('x12/own-945.edi'), '')).toMatchObject({ status: 401 });
    expect(await send(fixture('x12/own-945.edi'), withoutEdi)).toMatchObject({
      status: 403,
      body: { error: 'FORBIDDEN', reason: expect.stringMatching(/edi/) },
    });
  });

  it('answers 413 for a body over 5 MiB', async () => {
    const body = fixture('x12/own-945.edi').padEnd(5 * 1024 * 1024 + 1, ' ');

    expect(await send(body)).toMatchObject({ status: 413, body: { error: 'PAYLOAD_TOO_LARGE' } });
  });
});
