import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { POST } from '../../app/api/v1/events/route';
import { prisma } from '../../server/db/client';
import { createApiKey, createPartner, createPartnerWorld, createSite } from '../fixtures/partner';
import { answerOf, apiRequest, event, minutesAgo, pick } from './helpers';

// POST /api/v1/events through its exported handler, against the run's real database: every
// answer class of the issue's "Bad input" list, per-item answers, idempotency by partner.

type World = Awaited<ReturnType<typeof createPartnerWorld>>;
let world: World;

beforeAll(async () => {
  world = await createPartnerWorld(prisma);
});

afterAll(async () => {
  await prisma.$disconnect();
});

function send(body: unknown, authorization = world.key.authorization, requestId?: string) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);

  return POST(apiRequest('/api/v1/events', text, { authorization, requestId }), undefined).then(
    answerOf,
  );
}

async function storedCount(partnerId = world.partner.id): Promise<number> {
  return prisma.shipmentEvent.count({ where: { partnerId } });
}

const site = () => world.site.code;

describe('POST /api/v1/events: the caller', () => {
  it('answers 401 for a missing, malformed, unknown or revoked key, with a request id', async () => {
    const revoked = await createApiKey(prisma, {
      partnerId: world.partner.id,
      siteIds: [world.site.id],
      revoked: true,
    });
    const keys = ['', 'Basic abc', 'Bearer nope', `Bearer ctk_abcd1234_${'x'.repeat(32)}`];
    for (const authorization of [...keys, revoked.authorization]) {
      const answer = await send(event({ site: site() }), authorization);

      expect(answer).toMatchObject({ status: 401, body: { error: 'UNAUTHORIZED' } });
      expect(answer.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('answers 403 for a key that may not send events', async () => {
    const readOnly = await createApiKey(prisma, {
      partnerId: world.partner.id,
      siteIds: [world.site.id],
      canSendEvents: false,
    });

    expect(await send(event({ site: site() }), readOnly.authorization)).toMatchObject({
      status: 403,
      body: { error: 'FORBIDDEN', reason: expect.stringMatching(/events/) },
    });
  });

  it("echoes the caller's request id, and replaces one that is not plain", async () => {
    expect((await send(event({ site: site() }), undefined, 'req-42.a')).requestId).toBe('req-42.a');
    expect((await send('{', undefined, 'bad id\u00e9')).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('POST /api/v1/events: bodies that are not events', () => {
  it.each([
    ['malformed JSON', '{"eventId": ', /not valid JSON/],
    ['an empty body', '', /empty/],
    ['an array', JSON.stringify([{ eventId: 'x' }]), /event object or \{"events"/],
    ['a string', JSON.stringify('hello'), /event object/],
    ['a batch with other fields', JSON.stringify({ events: [], extra: 1 }), /only "events"/],
    ['a batch that is not an array', JSON.stringify({ events: {} }), /must be an array/],
    ['an empty batch', JSON.stringify({ events: [] }), /at least one/],
  ])('answers 400 for %s', async (_name, body, reason) => {
    const before = await storedCount();

    expect(await send(body)).toMatchObject({
      status: 400,
      body: { error: 'BAD_REQUEST', reason: expect.stringMatching(reason) },
    });
    expect(await storedCount()).toBe(before);
  });

  it('answers 413 for a body over 10 MiB, unread', async () => {
    const huge = JSON.stringify({
      events: [event({ site: site(), padding: 'x'.repeat(11 << 20) })],
    });

    expect(await send(huge)).toMatchObject({ status: 413, body: { error: 'PAYLOAD_TOO_LARGE' } });
  });

  it('answers 413 for a batch of 1,001 events and stores none of it', async () => {
    const before = await storedCount();
    const events = Array.from({ length: 1001 }, () => event({ site: site() }));

    expect(await send({ events })).toMatchObject({
      status: 413,
      body: { error: 'PAYLOAD_TOO_LARGE', reason: expect.stringMatching(/at most 1000/) },
    });
    expect(await storedCount()).toBe(before);
  });
});

const future = new Date(Date.now() + 30 * 24 * 3600_000).toISOString();

describe('POST /api/v1/events: items the schema rejects (422, nothing stored)', () => {
  it.each([
    ['an unknown type', { type: 'TELEPORTED' }, 'type', /unknown event type/],
    ['a missing eventId', { eventId: undefined }, 'eventId', /is required/],
    [
      'a missing order and shipment ref',
      { orderRef: undefined },
      'orderRef',
      /orderRef or shipmentRef/,
    ],
    ['a far-future time', { occurredAt: future }, 'occurredAt', /too far in the future/],
    ['a naive time', { occurredAt: '2026-03-01T14:05:00' }, 'occurredAt', /UTC offset/],
    [
      'a NUL in free text',
      { type: 'CANCELLED', payload: { reason: 'a\u0000b' } },
      'payload.reason',
      /NUL/,
    ],
    [
      'an unpaired surrogate in free text',
      { type: 'CANCELLED', payload: { reason: 'a\ud800b' } },
      'payload.reason',
      /surrogate/,
    ],
  ])('%s', async (_name, fields, path, reason) => {
    const before = await storedCount();
    const answer = await send(event({ site: site(), ...fields }));

    expect(answer).toMatchObject({ status: 422, body: { accepted: 0, rejected: 1 } });
    expect(answer.body.results).toEqual([
      expect.objectContaining({
        index: 0,
        status: 'rejected',
        issues: expect.arrayContaining([{ path, reason: expect.stringMatching(reason) }]),
      }),
    ]);
    expect(await storedCount()).toBe(before);
  });

  it.each([
    ['a JSON number quantity', 12, /decimal string/],
    ['a negative quantity', '-3', /must not be negative/],
    ['an absurd quantity', '99999999999', /must not exceed/],
    ['a zero quantity', '0', /greater than zero/],
  ])('%s', async (_name, quantity, reason) => {
    const answer = await send(pick({ site: site() }, quantity));

    expect(answer.status).toBe(422);
    expect(answer.body.results).toEqual([
      expect.objectContaining({
        issues: [{ path: 'payload.lines[0].quantity', reason: expect.stringMatching(reason) }],
      }),
    ]);
  });

  it('an unknown weight unit', async () => {
    const payload = {
      handlingUnits: 1,
      weight: { value: '1', unit: 'STONE' },
      volume: { value: '1', unit: 'M3' },
      dock: 'D1',
    };
    const answer = await send(event({ site: site(), type: 'PACKED_STAGED', payload }));

    expect(answer.status).toBe(422);
    expect(answer.body.results).toEqual([
      expect.objectContaining({
        issues: [
          {
            path: 'payload.weight.unit',
            reason: expect.stringMatching(/unknown weight unit "STONE"/),
          },
        ],
      }),
    ]);
  });
});

describe('POST /api/v1/events: the key scope', () => {
  it("rejects an item for a site outside the key's sites, and a type outside its types", async () => {
    const other = await createSite(prisma);
    const narrow = await createApiKey(prisma, {
      partnerId: world.partner.id,
      siteIds: [world.site.id],
      eventTypes: ['PICK_COMPLETED'],
    });
    const answer = await send(
      { events: [event({ site: other.code }), pick({ site: other.code })] },
      narrow.authorization,
    );

    expect(answer.status).toBe(422);
    expect(answer.body.results).toEqual([
      expect.objectContaining({
        issues: [
          { path: 'site', reason: expect.stringMatching(/outside this key's sites/) },
          { path: 'type', reason: 'this key may not send ORDER_RELEASED events' },
        ],
      }),
      expect.objectContaining({ issues: [{ path: 'site', reason: expect.any(String) }] }),
    ]);
  });
});

describe('POST /api/v1/events: batches and idempotency', () => {
  it('takes the good items of a mixed batch and stores nothing for the rejected ones', async () => {
    const before = await storedCount();
    const good = [event({ site: site() }), pick({ site: site() })];
    const events = [good[0], { eventId: 'broken' }, good[1], pick({ site: site() }, 7)];
    const answer = await send({ events });

    expect(answer).toMatchObject({
      status: 200,
      body: { accepted: 2, duplicates: 0, rejected: 2 },
    });
    expect((answer.body.results as { status: string }[]).map((r) => r.status)).toEqual([
      'accepted',
      'rejected',
      'accepted',
      'rejected',
    ]);
    expect(answer.body.results).toContainEqual(
      expect.objectContaining({ index: 1, eventId: 'broken' }),
    );
    expect(await storedCount()).toBe(before + 2);
  });

  it('answers a repeat as duplicate with the first outcome, and changes nothing', async () => {
    const first = event({ site: site(), sentAt: minutesAgo(2) });
    const accepted = await send(first);
    const before = await storedCount();
    // A retry restamps sentAt and may spell the same instant with another offset.
    const retry = {
      ...first,
      sentAt: minutesAgo(1),
      occurredAt: toOffset(first.occurredAt as string),
    };
    const repeat = await send(retry);

    const [original] = accepted.body.results as { id: string; receivedAt: string }[];
    expect(repeat).toMatchObject({
      status: 200,
      body: { accepted: 0, duplicates: 1, rejected: 0 },
    });
    expect(repeat.body.results).toEqual([
      {
        index: 0,
        eventId: first.eventId,
        status: 'duplicate',
        id: original!.id,
        firstOutcome: { status: 'accepted', id: original!.id, receivedAt: original!.receivedAt },
      },
    ]);
    expect(await storedCount()).toBe(before);
  });

  it('rejects the same eventId with a different payload as a conflict', async () => {
    const first = event({ site: site() });
    await send(first);
    const answer = await send({
      ...first,
      payload: { ...(first.payload as object), currency: 'EUR' },
    });

    expect(answer.status).toBe(422);
    expect(answer.body.results).toEqual([
      expect.objectContaining({
        status: 'rejected',
        issues: [{ path: 'eventId', reason: expect.stringMatching(/^conflict/) }],
      }),
    ]);
  });

  it("is idempotent by partner, whichever of the partner's keys sends it", async () => {
    const second = await createApiKey(prisma, {
      partnerId: world.partner.id,
      siteIds: [world.site.id],
    });
    const first = event({ site: site() });
    await send(first);

    expect((await send(first, second.authorization)).body).toMatchObject({ duplicates: 1 });

    const stranger = await createPartner(prisma);
    const theirs = await createApiKey(prisma, { partnerId: stranger.id, siteIds: [world.site.id] });
    expect((await send(first, theirs.authorization)).body).toMatchObject({ accepted: 1 });
  });

  it('stores the canonical event without sentAt, its hash and its envelope columns', async () => {
    const sent = pick({ site: site(), sentAt: minutesAgo(1) }, '12.50');
    await send(sent);
    const row = await prisma.shipmentEvent.findFirstOrThrow({
      where: { partnerId: world.partner.id, eventId: sent.eventId as string },
    });
    const { sentAt: _sentAt, ...canonical } = sent;

    expect(row).toMatchObject({
      type: 'PICK_COMPLETED',
      source: 'API',
      disposition: 'APPLIED',
      orderRef: sent.orderRef,
      shipmentRef: null,
    });
    expect(row.payload).toEqual({
      ...canonical,
      payload: { lines: [{ lineNo: 1, quantity: '12.5', uom: 'EA', lot: 'L1', location: 'A-01' }] },
    });
    expect(row.payloadHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.occurredAt.toISOString()).toBe(sent.occurredAt);
  });
});

/** The same instant written in +01:00. */
function toOffset(iso: string): string {
  return new Date(Date.parse(iso) + 3600_000).toISOString().replace('Z', '+01:00');
}
