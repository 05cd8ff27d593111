import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createCaller } from '../../server/api/root';
import { logger } from '../../server/lib/logger';

import { prisma } from '../../server/db/client';
import { hashApiKey } from '../../server/domain/integration/api-keys';
import { authenticatePartner } from '../../server/domain/integration/authenticate-partner';
import {
  createKey,
  createPartner,
  listPartners,
  revokeKey,
  rotateKey,
} from '../../server/domain/integration/partner-keys';
import { createSite, uniqueCode } from '../fixtures/partner';

// Partner keys as the admin page manages them, against the run's database: a secret shown once
// and stored only as its hash, scopes that authentication honours, rotation with a grace period
// or at once, revocation, and an audit row for every change.

let siteId: string;
let siteCode: string;
let partnerId: string;
let actor: { userId: string; requestId: string };

const scopes = {
  name: 'WMS production',
  eventTypes: ['ORDER_RELEASED', 'PICK_COMPLETED'] as const,
  canSendEvents: true,
  canRead: false,
  canSendEdi: true,
  canSendEpcis: false,
  expiresAt: null,
};

beforeAll(async () => {
  const site = await createSite(prisma);
  siteId = site.id;
  siteCode = site.code;
  const user = await prisma.user.create({
    data: {
      email: `${uniqueCode('adm')}@example.test`,
      name: 'Ada',
      passwordHash: 'x',
      role: 'ADMIN',
    },
  });
  actor = { userId: user.id, requestId: 'req-keys' };
  const code = uniqueCode('ACME').replace('-', '_');
  partnerId = (await createPartner(prisma, actor, { code, name: 'Acme WMS', kind: 'WMS' })).id;
});

afterAll(async () => {
  await prisma.$disconnect();
});

const bearer = (key: string) => `Bearer ${key}`;

async function auditActions(entityId: string): Promise<string[]> {
  const rows = await prisma.auditLog.findMany({ where: { entityId }, orderBy: { seq: 'asc' } });

  return rows.map((r) => r.action);
}

describe('partner keys', () => {
  it('shows the secret once and stores only its hash; the key authenticates with its scopes', async () => {
    const issued = await createKey(prisma, actor, {
      partnerId,
      siteIds: [siteId],
      ...scopes,
      eventTypes: [...scopes.eventTypes],
    });
    expect(issued.key).toMatch(new RegExp(`^ctk_${issued.prefix}_[A-Za-z0-9_-]{32}$`));
    const row = await prisma.apiKey.findUniqueOrThrow({ where: { id: issued.id } });
    expect(row.secretHash).toBe(hashApiKey(issued.key));
    expect(JSON.stringify(row)).not.toContain(issued.key.slice(13));

    const principal = await authenticatePartner(prisma, bearer(issued.key));
    expect([...principal.siteCodes]).toEqual([siteCode]);
    expect([...principal.eventTypes].sort()).toEqual(['ORDER_RELEASED', 'PICK_COMPLETED']);
    expect(principal).toMatchObject({ canSendEvents: true, canRead: false, canSendEdi: true });
    expect(await auditActions(issued.id)).toEqual(['api_key.created']);
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { entityId: issued.id } });
    expect(JSON.stringify(audit.data)).not.toContain(issued.key);

    const listed = await listPartners(prisma);
    const partner = listed.partners.find((p) => p.id === partnerId);
    expect(partner?.apiKeys[0]).toMatchObject({
      prefix: issued.prefix,
      sites: [{ code: siteCode }],
    });
    expect(partner?.apiKeys[0]).not.toHaveProperty('secretHash');
    expect(listed.rateLimit.perSecond).toBeGreaterThan(0);
  });

  it('rotates with a grace period: both keys work until the old one ends', async () => {
    const old = await createKey(prisma, actor, {
      partnerId,
      siteIds: [siteId],
      ...scopes,
      eventTypes: [...scopes.eventTypes],
    });
    const before = Date.now();
    const rotated = await rotateKey(prisma, actor, { keyId: old.id, graceHours: 24 });
    expect(rotated.oldKeyEndsAt.getTime() - before).toBeGreaterThanOrEqual(24 * 3_600_000 - 1_000);
    await expect(authenticatePartner(prisma, bearer(old.key))).resolves.toMatchObject({
      keyId: old.id,
    });
    const fresh = await authenticatePartner(prisma, bearer(rotated.key));
    expect(fresh.keyId).toBe(rotated.id);
    expect([...fresh.eventTypes].sort()).toEqual(['ORDER_RELEASED', 'PICK_COMPLETED']);
    expect(await auditActions(old.id)).toEqual(['api_key.created', 'api_key.rotated']);

    // Once the grace period is over, the old key is refused like any unknown key. The end is
    // moved by hand here, and the old key was just authenticated, so this process has it cached:
    // the change reaches the cache by its NOTIFY, within milliseconds (partner-key-cache.ts).
    await prisma.apiKey.update({
      where: { id: old.id },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    const refusal = async () => {
      for (const started = Date.now(); Date.now() - started < 1_000;) {
        const outcome = await authenticatePartner(prisma, bearer(old.key)).then(
          () => null,
          (error: unknown) => error,
        );
        if (outcome) return outcome;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }

      return null;
    };
    expect(await refusal()).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('rotates at once when asked, and revokes: the old key is refused from then on', async () => {
    const old = await createKey(prisma, actor, {
      partnerId,
      siteIds: [siteId],
      ...scopes,
      eventTypes: [...scopes.eventTypes],
    });
    const rotated = await rotateKey(prisma, actor, { keyId: old.id, graceHours: 0 });
    await expect(authenticatePartner(prisma, bearer(old.key))).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    expect(await auditActions(old.id)).toEqual(['api_key.created', 'api_key.revoked']);

    await revokeKey(prisma, actor, { keyId: rotated.id });
    await expect(authenticatePartner(prisma, bearer(rotated.key))).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await expect(revokeKey(prisma, actor, { keyId: rotated.id })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(rotateKey(prisma, actor, { keyId: rotated.id })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('refuses keys without a site, without event types while sending events, or expired already', async () => {
    await expect(
      createKey(prisma, actor, {
        partnerId,
        siteIds: [],
        ...scopes,
        eventTypes: [...scopes.eventTypes],
      }),
    ).rejects.toThrow('at least one site');
    await expect(
      createKey(prisma, actor, { partnerId, siteIds: [siteId], ...scopes, eventTypes: [] }),
    ).rejects.toThrow('at least one event type');
    await expect(
      createKey(prisma, actor, {
        partnerId,
        siteIds: [siteId],
        ...scopes,
        eventTypes: [...scopes.eventTypes],
        expiresAt: new Date(Date.now() - 60_000),
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const code = (await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } })).code;
    await expect(
      createPartner(prisma, actor, { code, name: 'Again', kind: 'WMS' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });
});

describe('the partners procedures', () => {
  it('are for admins alone, and hand the secret back once through createKey', async () => {
    const row = await prisma.user.create({
      data: {
        email: `${randomUUID()}@example.test`,
        name: 'Bo',
        passwordHash: 'x',
        role: 'BILLING_ANALYST',
      },
    });
    const context = { db: prisma, requestId: randomUUID(), log: logger('test') };
    const analyst = createCaller({ ...context, user: { ...row, allSites: true, siteIds: [] } });
    await expect(analyst.partners.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const admin = await prisma.user.findUniqueOrThrow({ where: { id: actor.userId } });
    const caller = createCaller({ ...context, user: { ...admin, allSites: true, siteIds: [] } });
    const issued = await caller.partners.createKey({
      partnerId,
      siteIds: [siteId],
      ...scopes,
      eventTypes: [...scopes.eventTypes],
    });
    const listed = await caller.partners.list();
    expect(JSON.stringify(listed)).not.toContain(issued.key);
    expect(JSON.stringify(listed)).toContain(issued.prefix);
  });
});
