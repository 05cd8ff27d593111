import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';

// One client per process. DATABASE_URL is set by the environment, or by scripts/start.ts after
// it has started the embedded PostgreSQL.
export function createPrisma(
  url = requireDatabaseUrl(),
  max = Number(process.env.DB_POOL_MAX ?? 10),
) {
  const adapter = new PrismaPg({ connectionString: url, max });

  return new PrismaClient({ adapter, omit: { user: { passwordHash: true } } });
}

export type Db = ReturnType<typeof createPrisma>;
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

export function requireDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (start the product with `npm start`)');

  return url;
}

const globalForPrisma = globalThis as unknown as { prisma?: Db };

export const prisma: Db = new Proxy({} as Db, {
  // Created on first use so that importing a module never needs a database.
  get(_target, prop) {
    const client = (globalForPrisma.prisma ??= createPrisma());
    const value: unknown = Reflect.get(client, prop);

    return typeof value === 'function' ? value.bind(client) : value;
  },
});
