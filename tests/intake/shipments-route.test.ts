import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { GET as getOne } from '../../app/api/v1/shipments/[ref]/route';
import { GET as getList } from '../../app/api/v1/shipments/route';
import { prisma } from '../../server/db/client';
import { createApiKey, createPartnerWorld, createSite, type KeyFixture } from '../fixtures/partner';
import { answerOf, apiRequest } from './helpers';
import { createCustomer, createShipment, holdShipment } from './shipment-fixture';

// GET /api/v1/shipments and /api/v1/shipments/{ref}: scope by the key's sites, the shape of a
// shipment, keyset paging and the 400s of bad query parameters.

type World = Awaited<ReturnType<typeof createPartnerWorld>>;
let world: World;
let elsewhere: { ref: string };
let mine: { ref: string; id: string; updatedAt: Date }[];

const T0 = Date.parse('2026-03-02T12:00:00Z');

beforeAll(async () => {
  world = await createPartnerWorld(prisma);
  const customer = await createCustomer(prisma);
  const otherSite = await createSite(prisma);
  // Two share one instant, so that the page boundary has to fall on the id.
  const times = [0, 1, 1, 2, 3].map((s) => new Date(T0 + s * 1000));
  const statuses = ['RELEASED', 'HELD', 'READY', 'HELD', 'DEPARTED'] as const;
  mine = [];
  for (const [i, updatedAt] of times.entries()) {
    const row = await createShipment(prisma, {
      siteId: world.site.id,
      customer,
      status: statuses[i],
      updatedAt,
    });
    mine.push({ ref: row.ref, id: row.id, updatedAt });
  }
  await holdShipment(prisma, mine[1]!.id);
  elsewhere = await createShipment(prisma, { siteId: otherSite.id, customer, status: 'HELD' });
});

afterAll(async () => {
  await prisma.$disconnect();
});

const byKeyset = () =>
  [...mine].sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || (a.id < b.id ? -1 : 1));

async function list(query: string, key: KeyFixture = world.key) {
  return answerOf(
    await getList(
      apiRequest(`/api/v1/shipments${query}`, undefined, { authorization: key.authorization }),
      undefined,
    ),
  );
}

async function one(ref: string, key: KeyFixture = world.key) {
  const request = apiRequest(`/api/v1/shipments/${encodeURIComponent(ref)}`, undefined, {
    authorization: key.authorization,
  });

  return answerOf(await getOne(request, { params: Promise.resolve({ ref }) }));
}

const refs = (body: Record<string, unknown>) =>
  (body.shipments as { ref: string }[]).map((s) => s.ref);

describe('GET /api/v1/shipments/{ref}', () => {
  it('answers a shipment with its milestones, open holds and latest decision', async () => {
    const answer = await one(mine[1]!.ref);

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      ref: mine[1]!.ref,
      status: 'HELD',
      readiness: 'PENDING',
      site: world.site.code,
      orderRef: expect.stringMatching(/^SO-/),
      milestones: {
        released: '2026-03-02T08:00:00.000Z',
        picked: null,
        staged: null,
        delivered: null,
      },
      holds: [
        {
          reason: 'QUANTITY_VARIANCE',
          detail: 'line 1: picked 10 of 12 EA',
          placedAt: expect.any(String),
        },
      ],
      decision: {
        outcome: 'HOLD',
        decidedAt: '2026-03-02T10:00:00.000Z',
        ruleVersion: 'v1',
        checks: [{ check: 'completeness', verdict: 'FAIL' }],
      },
    });
    expect((await one(mine[0]!.ref)).body).toMatchObject({ holds: [], decision: null });
  });

  it("answers 404 for another site's shipment exactly as for an unknown one", async () => {
    const other = await one(elsewhere.ref);
    const unknown = await one('SH-NOPE');

    expect(other).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
    expect(unknown.status).toBe(404);
  });

  it('answers 401 without a key and 403 for a key that may not read', async () => {
    const noRead = await createApiKey(prisma, {
      partnerId: world.partner.id,
      siteIds: [world.site.id],
      canRead: false,
    });

    expect((await one(mine[0]!.ref, { ...world.key, authorization: '' })).status).toBe(401);
    expect(await one(mine[0]!.ref, noRead)).toMatchObject({
      status: 403,
      body: { error: 'FORBIDDEN' },
    });
    expect((await list('', noRead)).status).toBe(403);
  });
});

describe('GET /api/v1/shipments', () => {
  it("pages through the key's sites only, on (updated_at, id), with an opaque cursor", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(answer.status).toBe(200);
      seen.push(...refs(answer.body));
      cursor = answer.body.nextCursor as string | null;
      pages += 1;
    } while (cursor && pages < 10);

    expect(pages).toBe(3);
    expect(seen).toEqual(byKeyset().map((s) => s.ref));
  });

  it('answers the default page with nextCursor null when it holds everything', async () => {
    const answer = await list('');

    expect(answer.body).toMatchObject({ nextCursor: null });
    expect(refs(answer.body)).toHaveLength(5);
  });

  it('filters by status, site and updatedSince', async () => {
    const held = mine.filter((_, i) => i === 1 || i === 3).map((s) => s.ref);

    expect(refs((await list('?status=HELD')).body).sort()).toEqual(held.sort());
    expect(refs((await list('?status=READY,HELD')).body)).toHaveLength(3);
    expect(refs((await list(`?site=${world.site.code}`)).body)).toHaveLength(5);
    const since = (at: string) => list(`?updatedSince=${encodeURIComponent(at)}`);
    expect(refs((await since('2026-03-02T12:00:04Z')).body)).toHaveLength(0);
    // The same instant in another offset selects the same shipments.
    expect(refs((await since('2026-03-02T13:00:02+01:00')).body)).toEqual([
      mine[3]!.ref,
      mine[4]!.ref,
    ]);
    expect(refs((await list('?updatedSince=2026-03-02T12:00:02Z')).body)).toEqual([
      mine[3]!.ref,
      mine[4]!.ref,
    ]);
  });

  it("answers an empty page for a site outside the key's sites", async () => {
    const other = await prisma.shipment.findUniqueOrThrow({
      where: { ref: elsewhere.ref },
      include: { site: true },
    });

    expect((await list(`?site=${other.site.code}`)).body).toEqual({
      shipments: [],
      nextCursor: null,
    });
  });

  it.each([
    ['limit=0', /limit/],
    ['limit=501', /at most 500/],
    ['limit=ten', /whole number/],
    ['status=LOST', /unknown status "LOST"/],
    ['updatedSince=yesterday', /updatedSince/],
    ['updatedSince=2026-03-02T12:00:00', /UTC offset/],
    ['cursor=bm90LWEtY3Vyc29y', /cursor/],
    ['cursor=%%%', /cursor/],
    ['colour=red', /unknown query parameter colour/],
  ])('answers 400 for %s', async (query, reason) => {
    expect(await list(`?${query}`)).toMatchObject({
      status: 400,
      body: { error: 'BAD_REQUEST', reason: expect.stringMatching(reason) },
    });
  });
});
