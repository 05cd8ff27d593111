import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma } from '../db/client';
import type { SessionUser } from '../domain/users/types';
import { createTestSite, createTestUser, uniqueTag } from '../domain/users/test-fixtures';
import { logger } from '../lib/logger';
import { createCaller } from './root';
import type { Context } from './trpc';

const db = createPrisma(process.env.DATABASE_URL, 2);
const tag = uniqueTag();
let admin: SessionUser;

function callerAs(user: SessionUser | null) {
  const context: Context = { db, user, requestId: `req-${tag}`, log: logger('trpc-test') };

  return createCaller(context);
}

function sessionOf(user: {
  id: string;
  email: string;
  name: string;
  role: SessionUser['role'];
}): SessionUser {
  return { ...user, level: 'MEMBER', teamId: null, allSites: true, siteIds: [] };
}

beforeAll(async () => {
  await createTestSite(db, tag);
  admin = sessionOf(await createTestUser(db, tag, 'ADMIN', { allSites: true }));
});

afterAll(() => db.$disconnect());

describe('procedure layers', () => {
  it('refuses a signed-out caller with UNAUTHORIZED', async () => {
    await expect(callerAs(null).shipments.statusCounts()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it("refuses another role's procedure with FORBIDDEN", async () => {
    const dispatcher = sessionOf(await createTestUser(db, uniqueTag(), 'DISPATCHER'));

    await expect(callerAs(dispatcher).users.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('maps a domain AppError to its tRPC code', async () => {
    const missing = callerAs(admin).shipments.byRef({ ref: `NO-SUCH-${tag}` });

    await expect(missing).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `No shipment NO-SUCH-${tag}`,
    });
  });

  it('re-reads the role before a privileged write', async () => {
    const demoted = await createTestUser(db, uniqueTag(), 'ADMIN', { allSites: true });
    const stale = sessionOf(demoted);
    await db.user.update({ where: { id: demoted.id }, data: { role: 'EXECUTIVE' } });

    const write = callerAs(stale).users.setActive({ id: admin.id, active: false });
    await expect(write).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses a privileged write by a deactivated account', async () => {
    const gone = await createTestUser(db, uniqueTag(), 'ADMIN', { allSites: true });
    await db.user.update({ where: { id: gone.id }, data: { active: false } });

    const write = callerAs(sessionOf(gone)).users.setActive({ id: admin.id, active: false });
    await expect(write).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
