import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { hashPassword } from '../server/auth/password';
import { assertReachable } from '../server/db/connect';
import { createPrisma, requireDatabaseUrl } from '../server/db/client';
import { Role } from '../server/db/generated/enums';
import { writeAudit } from '../server/domain/audit/write-audit';

// `npm run user:create -- --role ADMIN --email ops@example.com --name "Ops Admin"`: the first
// admin of a deployment. The password is generated, printed once, and only its hash is kept.

const USAGE = 'usage: npm run user:create -- --role ROLE --email EMAIL [--name NAME]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { role: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' } },
  });
  const role = values.role?.toUpperCase();
  if (!role || !(role in Role) || !values.email?.includes('@'))
    throw new Error(`${USAGE} (roles: ${Object.keys(Role).join(', ')})`);
  const url = requireDatabaseUrl();
  await assertReachable(url);
  const db = createPrisma(url, 2);
  const password = randomBytes(12).toString('base64url');
  try {
    const email = values.email.toLowerCase();
    const user = await db.$transaction(async (tx) => {
      const created = await tx.user.create({
        data: {
          email,
          name: values.name ?? email,
          role: role as Role,
          allSites: role === 'ADMIN' || role === 'EXECUTIVE',
          passwordHash: await hashPassword(password),
        },
      });
      await writeAudit(tx, {
        entityType: 'User',
        entityId: created.id,
        action: 'user.created',
        actor: { type: 'SYSTEM', id: null },
        data: { email, role, via: 'user:create' },
      });

      return created;
    });
    process.stdout.write(
      `created ${user.role} ${user.email}\npassword (shown once): ${password}\n`,
    );
  } finally {
    await db.$disconnect();
  }
}

main().catch((error: unknown) => {
  const message =
    (error as { code?: string }).code === 'P2002'
      ? 'a user with that e-mail exists'
      : (error as Error).message;
  process.stderr.write(`user:create: ${message}\n`);
  process.exit(1);
});
