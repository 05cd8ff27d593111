import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../../server/api/root';
import type { Context } from '../../server/api/trpc';
import { createPrisma, type Db } from '../../server/db/client';
import type { Role } from '../../server/db/generated/enums';
import type { SessionUser } from '../../server/domain/users/types';
import { logger } from '../../server/lib/logger';
import { deliverOutbox } from '../../server/domain/integration/deliver-outbox';
import { createMigratedDatabase, dropDatabase } from '../setup/test-database';

// The webhook procedures: admins alone see and change subscriptions and deliveries, the secret
// is answered once (on create and on rotation) and never by a list, bad input is refused with
// the field named, and every change leaves its audit row.

let url = '';
let db: Db;
let partnerId = '';

beforeAll(async () => {
  url = await createMigratedDatabase(process.env.CT_ADMIN_DATABASE_URL!, 'ct_webhooks_router');
  db = createPrisma(url, 4);
  // An ERP partner: it hears about every site (deliver-outbox.ts).
  partnerId = (
    await db.partner.create({
      data: { code: `ERP-${randomUUID().slice(0, 6)}`, name: 'ERP', kind: 'ERP' },
    })
  ).id;
});

afterAll(async () => {
  await db.$disconnect();
  await dropDatabase(process.env.CT_ADMIN_DATABASE_URL!, url);
});

async function callerAs(role: Role) {
  const row = await db.user.create({
    data: {
      email: `${randomUUID()}@example.test`,
      name: role,
      passwordHash: 'x',
      role,
      level: 'TEAM_LEAD',
    },
  });
  const user: SessionUser = { ...row, allSites: true, siteIds: [] };
  const context: Context = { db, user, requestId: randomUUID(), log: logger('test') };

  return createCaller(context);
}

const input = () => ({
  partnerId,
  name: 'ERP',
  url: 'https://erp.example.com/hooks',
  topics: ['erp.shipment-record', 'shipment.held'],
});

describe('webhooks router', () => {
  it('lets an admin create, list, rotate and delete; the secret is answered once', async () => {
    const admin = await callerAs('ADMIN');

    const created = await admin.webhooks.create(input());
    const listed = await admin.webhooks.subscriptions();
    const rotated = await admin.webhooks.rotateSecret({ id: created.id });
    await admin.webhooks.pause({ id: created.id });
    const paused = await admin.webhooks.subscriptions();
    await admin.webhooks.delete({ id: created.id });

    expect(created.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    const row = listed.find((s) => s.id === created.id)!;
    expect(row).toMatchObject({
      name: 'ERP',
      status: 'ACTIVE',
      maxAttempts: 10,
      timeoutMs: 10_000,
    });
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect(paused.find((s) => s.id === created.id)?.status).toBe('PAUSED');
    expect((await admin.webhooks.subscriptions()).some((s) => s.id === created.id)).toBe(false);
    const audit = await db.auditLog.findMany({
      where: { entityId: created.id },
      orderBy: { seq: 'asc' },
    });
    expect(audit.map((a) => a.action)).toEqual([
      'webhook-subscription.created',
      'webhook-subscription.secret-rotated',
      'webhook-subscription.paused',
      'webhook-subscription.deleted',
    ]);
    expect(JSON.stringify(audit.map((a) => a.data))).not.toContain(created.secret);
  });

  it('refuses an unknown event type, a URL that is not http(s) and credentials in the URL', async () => {
    const admin = await callerAs('ADMIN');

    await expect(
      admin.webhooks.create({ ...input(), topics: ['shipment.teleported'] }),
    ).rejects.toThrow(/Unknown event type/);
    await expect(
      admin.webhooks.create({ ...input(), url: 'ftp://erp.example.com/' }),
    ).rejects.toThrow(/http/);
    await expect(
      admin.webhooks.create({ ...input(), url: 'https://user:pw@erp.example.com/' }),
    ).rejects.toThrow(/no user name or password/);
    await expect(admin.webhooks.create({ ...input(), partnerId: randomUUID() })).rejects.toThrow(
      /Unknown partner/,
    );
  });

  it('refuses every other role', async () => {
    for (const role of [
      'DISPATCHER',
      'WAREHOUSE_SUPERVISOR',
      'BILLING_ANALYST',
      'EXECUTIVE',
    ] as Role[]) {
      const caller = await callerAs(role);

      await expect(caller.webhooks.subscriptions()).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(caller.webhooks.deliveries({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(caller.webhooks.create(input())).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(caller.webhooks.replay({ ids: [randomUUID()] })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    }
  });

  it('pages through the delivery log newest first, filtered, without a repeat or a gap', async () => {
    const admin = await callerAs('ADMIN');
    const subscription = await admin.webhooks.create(input());
    await admin.webhooks.pause({ id: subscription.id });
    for (let n = 0; n < 5; n += 1) {
      const id = randomUUID();
      await db.outboxMessage.create({
        data: { id, topic: 'erp.shipment-record', aggregateId: randomUUID(), payload: { n } },
      });
      await deliverOutbox(db, id, { now: new Date(Date.UTC(2030, 0, 1, 0, 0, n % 3)) });
    }
    const filter = { subscriptionId: subscription.id, status: 'PENDING' as const };

    const all = await admin.webhooks.deliveries({ ...filter, limit: 200 });
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin.webhooks.deliveries({ ...filter, limit: 2, cursor });
      paged.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const none = await admin.webhooks.deliveries({ ...filter, topic: 'shipment.held' });

    expect(all.items).toHaveLength(5);
    const times = all.items.map((d) => d.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(paged).toEqual(all.items.map((d) => d.id));
    expect(none.items).toEqual([]);
  });
});
