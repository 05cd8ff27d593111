import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedDatabase, dropDatabase } from '../../tests/setup/test-database';
import { createPrisma, type Db } from '../db/client';
import { authorizePassword, LOCKED_ERROR } from './authorize';
import { hashPassword } from './password';
import { SignInThrottle } from './sign-in-throttle';

const adminUrl = process.env.CT_ADMIN_DATABASE_URL!;
const PASSWORD = 'correct horse battery staple';
let url: string;
let db: Db;
let pool: Pool;

beforeAll(async () => {
  url = await createMigratedDatabase(adminUrl, 'ct_throttle');
  db = createPrisma(url, 2);
  pool = new Pool({ connectionString: url, max: 2 });
  const passwordHash = await hashPassword(PASSWORD);
  await db.user.createMany({
    data: ['ana', 'ben', 'cy', 'dee'].map((name) => ({
      email: `${name}@throttle.example`,
      name,
      role: 'DISPATCHER' as const,
      passwordHash,
    })),
  });
});

afterAll(async () => {
  await pool.end();
  await db.$disconnect();
  await dropDatabase(adminUrl, url);
});

function throttle(lockSeconds = 900): SignInThrottle {
  return new SignInThrottle(pool, { failures: 3, windowSeconds: 900, lockSeconds });
}

const attempt = (t: SignInThrottle, email: string, password: string) =>
  authorizePassword(db, { email, password }, t);

describe('sign-in throttle', () => {
  it('locks an account on the failure that reaches the limit, even against the right password', async () => {
    const t = throttle();
    expect(await attempt(t, 'ana@throttle.example', 'wrong-1')).toBeNull();
    expect(await attempt(t, 'ana@throttle.example', 'wrong-2')).toBeNull();
    await expect(attempt(t, 'ana@throttle.example', 'wrong-3')).rejects.toThrow(LOCKED_ERROR);
    await expect(attempt(t, 'ANA@throttle.example ', PASSWORD)).rejects.toThrow(LOCKED_ERROR);
    // Another account is untouched.
    expect((await attempt(t, 'ben@throttle.example', PASSWORD))?.email).toBe(
      'ben@throttle.example',
    );
  });

  it('is shared by every instance on the same database', async () => {
    const first = throttle();
    const second = throttle();
    await attempt(first, 'cy@throttle.example', 'wrong-1');
    await attempt(second, 'cy@throttle.example', 'wrong-2');
    await expect(attempt(first, 'cy@throttle.example', 'wrong-3')).rejects.toThrow(LOCKED_ERROR);
    expect(await second.check('cy@throttle.example')).toMatchObject({ locked: true });
  });

  it('clears the count on a successful sign-in and lets the account in again after the lock', async () => {
    const t = throttle(1);
    await attempt(t, 'dee@throttle.example', 'wrong-1');
    await attempt(t, 'dee@throttle.example', 'wrong-2');
    expect(await attempt(t, 'dee@throttle.example', PASSWORD)).not.toBeNull();
    // The count started over: two more failures do not lock.
    await attempt(t, 'dee@throttle.example', 'wrong-3');
    expect(await attempt(t, 'dee@throttle.example', 'wrong-4')).toBeNull();
    await expect(attempt(t, 'dee@throttle.example', 'wrong-5')).rejects.toThrow(LOCKED_ERROR);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await attempt(t, 'dee@throttle.example', PASSWORD)).not.toBeNull();
  });

  it('counts failures against addresses without an account as well', async () => {
    const t = throttle();
    for (const n of [1, 2]) expect(await attempt(t, 'ghost@throttle.example', `x${n}`)).toBeNull();
    await expect(attempt(t, 'ghost@throttle.example', 'x3')).rejects.toThrow(LOCKED_ERROR);
  });
});
