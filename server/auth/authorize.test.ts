import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedDatabase, dropDatabase } from '../../tests/setup/test-database';
import { createPrisma, type Db } from '../db/client';
import { authorizeDemo, authorizePassword, INACTIVE_ERROR } from './authorize';
import { DEMO_PASSWORD, DEMO_USERS, DEMO_WORLD_SETTING } from './demo-users';
import { hashPassword } from './password';

// A database of its own: the demo users' addresses and the demo.world marker are global names.
const adminUrl = process.env.CT_ADMIN_DATABASE_URL!;
let url: string;
let db: Db;

beforeAll(async () => {
  url = await createMigratedDatabase(adminUrl, 'ct_auth');
  db = createPrisma(url, 2);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.user.createMany({ data: DEMO_USERS.map((u) => ({ ...u, passwordHash })) });
});

afterAll(async () => {
  await db.$disconnect();
  await dropDatabase(adminUrl, url);
});

describe('authorizePassword', () => {
  it('signs in with the right password and records the sign-in', async () => {
    const user = await authorizePassword(db, {
      email: ' Dispatcher@Demo.Example ',
      password: DEMO_PASSWORD,
    });

    expect(user?.email).toBe('dispatcher@demo.example');
    const row = await db.user.findUniqueOrThrow({ where: { email: 'dispatcher@demo.example' } });
    expect(row.lastLoginAt).not.toBeNull();
  });

  it('refuses a wrong password, an unknown e-mail and malformed input alike', async () => {
    expect(
      await authorizePassword(db, { email: 'billing@demo.example', password: 'nope' }),
    ).toBeNull();
    expect(
      await authorizePassword(db, { email: 'nobody@demo.example', password: DEMO_PASSWORD }),
    ).toBeNull();
    expect(await authorizePassword(db, { email: 42 })).toBeNull();
  });

  it('tells a deactivated account apart only after the right password', async () => {
    await db.user.update({ where: { email: 'executive@demo.example' }, data: { active: false } });

    expect(
      await authorizePassword(db, { email: 'executive@demo.example', password: 'nope' }),
    ).toBeNull();
    await expect(
      authorizePassword(db, { email: 'executive@demo.example', password: DEMO_PASSWORD }),
    ).rejects.toThrow(INACTIVE_ERROR);
  });
});

describe('authorizeDemo', () => {
  it('refuses while the demo world is absent', async () => {
    expect(await authorizeDemo(db, { role: 'ADMIN' })).toBeNull();
  });

  it("signs in as the role's demo user once the demo world exists", async () => {
    await db.setting.create({ data: { key: DEMO_WORLD_SETTING, value: {} } });

    expect((await authorizeDemo(db, { role: 'ADMIN' }))?.email).toBe('admin@demo.example');
    expect(await authorizeDemo(db, { role: 'PILOT' })).toBeNull();
  });

  it('refuses a demo user whose password was changed', async () => {
    const passwordHash = await hashPassword('changed');
    await db.user.update({ where: { email: 'supervisor@demo.example' }, data: { passwordHash } });

    expect(await authorizeDemo(db, { role: 'WAREHOUSE_SUPERVISOR' })).toBeNull();
  });
});
