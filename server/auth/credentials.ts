import type { Db } from '../db/client';
import { logger } from '../lib/logger';
import { hashPassword, verifyPassword } from './password';

const log = logger('auth');

export type AuthenticationResult =
  | { ok: true; userId: string; email: string; name: string }
  | { ok: false; reason: 'invalid' | 'inactive' };

let dummyHash: Promise<string> | undefined;

// An unknown e-mail still pays for one argon2 verification, so that response times do not tell
// which addresses have accounts.
function spendVerification(password: string): Promise<boolean> {
  dummyHash ??= hashPassword('no account has this password');

  return dummyHash.then((hash) => verifyPassword(hash, password));
}

export async function authenticate(
  db: Db,
  email: string,
  password: string,
): Promise<AuthenticationResult> {
  const user = await db.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    select: { id: true, email: true, name: true, active: true, passwordHash: true },
  });
  if (!user) {
    await spendVerification(password);

    return { ok: false, reason: 'invalid' };
  }
  if (!(await verifyPassword(user.passwordHash, password))) {
    log.info({ userId: user.id }, 'sign-in refused: wrong password');

    return { ok: false, reason: 'invalid' };
  }
  if (!user.active) {
    log.info({ userId: user.id }, 'sign-in refused: account deactivated');

    return { ok: false, reason: 'inactive' };
  }
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  log.info({ userId: user.id }, 'signed in');

  return { ok: true, userId: user.id, email: user.email, name: user.name };
}
