import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma } from '../../db/client';
import { verifyPassword } from '../../auth/password';
import { firstBrokenLink } from '../audit/audit-hash';
import { createUser, setUserActive, updateUser } from './mutations';
import { createUserInput } from './schema';
import { createTestSite, createTestUser, uniqueTag } from './test-fixtures';

const db = createPrisma(process.env.DATABASE_URL, 4);
const tag = uniqueTag();
let world: Awaited<ReturnType<typeof createTestSite>>;
let actor: { userId: string; requestId: string };

beforeAll(async () => {
  world = await createTestSite(db, tag);
  const admin = await createTestUser(db, tag, 'ADMIN', { allSites: true });
  actor = { userId: admin.id, requestId: `req-${tag}` };
});

afterAll(() => db.$disconnect());

function auditOf(entityId: string) {
  return db.auditLog.findMany({ where: { entityType: 'User', entityId }, orderBy: { seq: 'asc' } });
}

function input(overrides: Record<string, unknown> = {}) {
  return createUserInput.parse({
    name: 'Dana Dispatcher',
    email: `  Dana.${tag}.${uniqueTag()}@Example.COM `,
    role: 'DISPATCHER',
    teamId: world.team.id,
    siteIds: [world.site.id],
    ...overrides,
  });
}

describe('createUser', () => {
  it('creates the account with a usable one-time password and an audit row', async () => {
    const { user, initialPassword } = await createUser(db, actor, input());

    expect(user.email).toMatch(/^dana\..+@example\.com$/);
    const stored = await db.user.findUniqueOrThrow({
      where: { id: user.id },
      select: { passwordHash: true },
    });
    expect(await verifyPassword(stored.passwordHash, initialPassword)).toBe(true);
    const [audit] = await auditOf(user.id);
    expect(audit).toMatchObject({
      seq: 1,
      action: 'user.created',
      actorId: actor.userId,
      prevHash: null,
    });
    expect(JSON.stringify(audit!.data)).not.toContain(initialPassword);
  });

  it('refuses a second account with the same e-mail', async () => {
    const first = input();
    await createUser(db, actor, first);

    await expect(createUser(db, actor, first)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses a team at a site the user is not assigned to, and writes nothing', async () => {
    const before = await db.auditLog.count();

    await expect(createUser(db, actor, input({ siteIds: [] }))).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
    });
    expect(await db.auditLog.count()).toBe(before);
  });
});

describe('updateUser and setUserActive', () => {
  it('chain their audit rows on the user', async () => {
    const { user } = await createUser(db, actor, input());
    await updateUser(db, actor, { id: user.id, role: 'BILLING_ANALYST', level: 'TEAM_LEAD' });
    await updateUser(db, actor, { id: user.id, role: 'BILLING_ANALYST' });
    await setUserActive(db, actor, { id: user.id, active: false });

    const rows = await auditOf(user.id);
    expect(rows.map((r) => r.action)).toEqual(['user.created', 'user.updated', 'user.deactivated']);
    expect(rows[1]!.data).toEqual({
      before: { role: 'DISPATCHER', level: 'MEMBER' },
      after: { role: 'BILLING_ANALYST', level: 'TEAM_LEAD' },
    });
    expect(firstBrokenLink(rows)).toBeNull();
  });

  it('replaces the site list', async () => {
    const other = await createTestSite(db, uniqueTag());
    const { user } = await createUser(db, actor, input({ teamId: null }));
    await updateUser(db, actor, { id: user.id, siteIds: [other.site.id] });

    const sites = await db.userSite.findMany({ where: { userId: user.id } });
    expect(sites.map((s) => s.siteId)).toEqual([other.site.id]);
  });

  it('will not let an admin deactivate or demote themselves', async () => {
    await expect(
      setUserActive(db, actor, { id: actor.userId, active: false }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      updateUser(db, actor, { id: actor.userId, role: 'EXECUTIVE' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});

describe('writeAudit under concurrency', () => {
  it('gives concurrent changes of one user consecutive seqs and an intact chain', async () => {
    const { user } = await createUser(db, actor, input());
    const levels = ['TEAM_LEAD', 'SITE_MANAGER', 'MEMBER', 'TEAM_LEAD', 'SITE_MANAGER'] as const;
    await Promise.all(
      levels.map((level, i) => updateUser(db, actor, { id: user.id, name: `N${i}`, level })),
    );

    const rows = await auditOf(user.id);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(firstBrokenLink(rows)).toBeNull();
  });
});
