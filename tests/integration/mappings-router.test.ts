import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createCaller } from '../../server/api/root';
import type { Context } from '../../server/api/trpc';
import type { Role } from '../../server/db/generated/enums';
import { logger } from '../../server/lib/logger';
import { jobsWithKey } from '../branches/jobs';
import { createPartner } from '../fixtures/partner';
import { closeFlow, openFlow, type Flow } from '../main-flow/flow-helpers';

// The mappings procedures: admins alone read and change the table; every change is validated
// with a reason an admin can act on, audited, and (when the partner has held events) followed
// by the re-read job; lists page and search.

let flow: Flow;
let admin: ReturnType<typeof createCaller>;
let adminId: string;

async function callerAs(role: Role) {
  const user = await flow.db.user.create({
    data: { email: `${randomUUID()}@example.test`, name: role, passwordHash: 'x', role },
  });
  const context: Context = {
    db: flow.db,
    user: { ...user, allSites: true, siteIds: [] },
    requestId: randomUUID(),
    log: logger('test'),
  };

  return { caller: createCaller(context), id: user.id };
}

beforeAll(async () => {
  flow = await openFlow('ct_test_mappings_router');
  ({ caller: admin, id: adminId } = await callerAs('ADMIN'));
});

afterAll(() => closeFlow(flow));

const skuTarget = () => ({ type: 'SKU' as const, skuCode: flow.world.skuCode });

describe('mappings router', () => {
  it('refuses everyone but admins', async () => {
    const { caller } = await callerAs('DISPATCHER');

    await expect(caller.mappings.list({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      caller.mappings.create({
        partnerId: flow.partnerId,
        kind: 'SKU',
        externalId: 'UP:012345678905',
        target: skuTarget(),
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('adds, edits and deletes a mapping, each change audited', async () => {
    const { id } = await admin.mappings.create({
      partnerId: flow.partnerId,
      kind: 'LOCATION',
      externalId: '92:000009',
      target: { type: 'SITE', siteCode: flow.world.siteCode, dock: 'X1' },
      note: 'their warehouse number',
    });
    expect((await admin.mappings.list({ partnerId: flow.partnerId })).items).toMatchObject([
      { id, externalId: '92:000009', targetText: `site ${flow.world.siteCode}, dock X1` },
    ]);
    await admin.mappings.update({
      id,
      externalId: '92:000009',
      target: {
        type: 'CUSTOMER_LOCATION',
        customerCode: flow.world.customerCode,
        locationCode: 'DC1',
      },
    });
    expect((await admin.mappings.list({ partnerId: flow.partnerId })).items[0]).toMatchObject({
      target: { type: 'CUSTOMER_LOCATION', locationCode: 'DC1' },
      note: null,
    });
    await admin.mappings.delete({ id });

    expect((await admin.mappings.list({ partnerId: flow.partnerId })).total).toBe(0);
    const audit = await flow.db.auditLog.findMany({
      where: { entityType: 'PartnerMapping', entityId: id },
      orderBy: { seq: 'asc' },
    });
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([
      ['partner_mapping.created', adminId],
      ['partner_mapping.updated', adminId],
      ['partner_mapping.deleted', adminId],
    ]);
  });

  it('names what is wrong with a mapping it refuses', async () => {
    const base = { partnerId: flow.partnerId, externalId: 'UP:012345678905' };
    await expect(
      admin.mappings.create({ ...base, kind: 'SKU', target: { type: 'SKU', skuCode: 'NO-SUCH' } }),
    ).rejects.toMatchObject({ code: 'UNPROCESSABLE_CONTENT', message: 'No SKU with code NO-SUCH' });
    await expect(
      admin.mappings.create({ ...base, kind: 'CARRIER', target: skuTarget() }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('A CARRIER mapping names a carrier'),
    });
    await expect(
      admin.mappings.create({ ...base, kind: 'SKU', externalId: '  ', target: skuTarget() }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('Enter the identifier'),
    });

    await admin.mappings.create({ ...base, kind: 'SKU', target: skuTarget() });
    await expect(
      admin.mappings.create({ ...base, kind: 'SKU', target: skuTarget() }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    // The same GTIN in another length and qualifier is the same key to the adapters.
    await expect(
      admin.mappings.create({
        ...base,
        kind: 'SKU',
        externalId: '00012345678905',
        target: skuTarget(),
      }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('GTIN 00012345678905'),
    });
  });

  it('pages and searches by identifier or our code', async () => {
    const partner = await createPartner(flow.db);
    for (let i = 0; i < 30; i += 1) {
      await admin.mappings.create({
        partnerId: partner.id,
        kind: 'PARTNER_ID',
        externalId: `DEP-${String(i).padStart(3, '0')}`,
        target: { type: 'CUSTOMER', customerCode: flow.world.customerCode },
      });
    }
    const page = await admin.mappings.list({ partnerId: partner.id, offset: 20, limit: 20 });

    expect(page.total).toBe(30);
    expect(page.items.map((m) => m.externalId)).toEqual(
      Array.from({ length: 10 }, (_, i) => `DEP-${String(i + 20).padStart(3, '0')}`),
    );
    expect((await admin.mappings.list({ partnerId: partner.id, search: 'dep-01' })).total).toBe(10);
    expect(
      (
        await admin.mappings.list({
          partnerId: partner.id,
          search: flow.world.customerCode.toLowerCase(),
        })
      ).total,
    ).toBe(30);
    expect(await jobsWithKey(flow.db, `reapply:${partner.id}`)).toEqual([]);
  });
});
