import type { User } from 'next-auth';
import { z } from 'zod';
import type { Db } from '../db/client';
import { Role } from '../db/generated/enums';
import { authenticate, type AuthenticationResult } from './credentials';
import { DEMO_PASSWORD, demoUserFor } from './demo-users';
import { isDemoWorld } from './demo-world';
import { signInThrottle, type SignInThrottle } from './sign-in-throttle';

// The two ways in that the next-auth providers offer (server/auth/options.ts). null refuses with
// next-auth's CredentialsSignin; a thrown error's message becomes the sign-in error code.

/** The error code the login form sees for a correct password on a deactivated account. */
export const INACTIVE_ERROR = 'AccountInactive';
/** The error code for an account locked after repeated wrong passwords. */
export const LOCKED_ERROR = 'AccountLocked';

function toUser(result: AuthenticationResult): User | null {
  if (result.ok) return { id: result.userId, email: result.email, name: result.name };
  if (result.reason === 'inactive') throw new Error(INACTIVE_ERROR);

  return null;
}

const passwordCredentials = z.object({
  email: z.string().max(320),
  password: z.string().max(1024),
});
const demoCredentials = z.object({ role: z.enum(Role) });

/**
 * A locked account is refused before its password is checked, so that guessing on stops counting;
 * a wrong password counts against the address whether or not it has an account.
 */
export async function authorizePassword(
  db: Db,
  raw: unknown,
  throttle: SignInThrottle = signInThrottle(),
): Promise<User | null> {
  const parsed = passwordCredentials.safeParse(raw);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  if ((await throttle.check(email)).locked) throw new Error(LOCKED_ERROR);

  const result = await authenticate(db, email, password);
  if (result.ok) await throttle.succeed(email);
  else if (result.reason === 'invalid' && (await throttle.fail(email)).locked) {
    throw new Error(LOCKED_ERROR);
  }

  return toUser(result);
}

/**
 * The demo buttons sign in by role, only while the demo world exists and only while that role's
 * demo user still has the published demo password.
 */
export async function authorizeDemo(db: Db, raw: unknown): Promise<User | null> {
  const parsed = demoCredentials.safeParse(raw);
  const demoUser = parsed.success ? demoUserFor(parsed.data.role) : undefined;
  if (!demoUser || !(await isDemoWorld(db))) return null;

  return toUser(await authenticate(db, demoUser.email, DEMO_PASSWORD));
}
