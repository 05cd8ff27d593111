import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/client';

// The client's own pg pool, for the few hot paths (event intake) where Prisma's cost per
// statement (~0.5 ms of CPU) is most of the request: same connections, same limits.
const SQL_POOL = Symbol('pg pool');

// One client per process. DATABASE_URL is set by the environment, or by scripts/start.ts after
// it has started the embedded PostgreSQL.
export function createPrisma(
  url = requireDatabaseUrl(),
  max = Number(process.env.DB_POOL_MAX ?? 10),
) {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle connection that breaks (a restart, a dropped database) is replaced by the pool; the
  // next query on it reports the failure, so the event itself needs no handling beyond this.
  pool.on('error', () => undefined);
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  const client = new PrismaClient({ adapter, omit: { user: { passwordHash: true } } });
  Object.defineProperty(client, SQL_POOL, { value: pool });

  return client;
}

export type Db = ReturnType<typeof createPrisma>;
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

export function requireDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (start the product with `npm start`)');

  return url;
}

/**
 * The pg pool under a client made by createPrisma (also through `prisma`); null for another
 * client, or once $disconnect has ended it (Prisma then reconnects on a pool of its own).
 */
export function sqlPoolOf(db: Db): pg.Pool | null {
  const pool = Reflect.get(db, SQL_POOL) as unknown as pg.Pool | undefined;

  return pool && !pool.ended ? pool : null;
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
