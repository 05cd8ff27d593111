import { afterAll, describe, expect, it } from 'vitest';
import { createPrisma } from './client';
import { sql } from './generated/internal/prismaNamespace';
import { inTransaction, rawExecute, rawQuery } from './transaction-sql';

// Against the real PostgreSQL: the raw statements of inTransaction run in its Prisma
// transaction, on its connection, and roll back with it.

const db = createPrisma(process.env.DATABASE_URL, 3);
const OPTIONS = { timeout: 10_000, maxWait: 10_000 };

afterAll(async () => {
  await db.$disconnect();
});

const backend = sql`SELECT pg_backend_pid() AS pid, pg_current_xact_id()::text AS xact`;

describe('inTransaction', () => {
  it('runs raw statements on the transaction connection, in its transaction', async () => {
    const seen = await Promise.all(
      [1, 2, 3].map(() =>
        inTransaction(
          db,
          async (tx) => {
            const [viaPrisma] = await tx.$queryRaw<{ pid: number; xact: string }[]>(backend);
            const [raw] = await rawQuery<{ pid: number; xact: string }>(tx, backend);

            return { viaPrisma, raw };
          },
          OPTIONS,
        ),
      ),
    );
    for (const { viaPrisma, raw } of seen) expect(raw).toEqual(viaPrisma);
    expect(new Set(seen.map((s) => s.raw?.xact)).size).toBe(3);
  });

  it('rolls raw writes back with the transaction, and sends times as UTC', async () => {
    const key = `transaction-sql-test:${Date.now()}`;
    const at = new Date('2026-01-02T03:04:05.678Z');
    await expect(
      inTransaction(
        db,
        async (tx) => {
          await rawExecute(
            tx,
            sql`CREATE TEMP TABLE IF NOT EXISTS tx_sql_probe (k text, at timestamp(3)) ON COMMIT DROP`,
          );
          await rawExecute(tx, sql`INSERT INTO tx_sql_probe VALUES (${key}, ${at})`);
          const [row] = await tx.$queryRaw<{ at: Date }[]>`SELECT at FROM tx_sql_probe`;
          expect(row!.at.toISOString()).toBe(at.toISOString());
          await rawExecute(
            tx,
            sql`INSERT INTO settings (key, value, updated_at) VALUES (${key}, '1'::jsonb, now())`,
          );
          throw new Error('roll back');
        },
        OPTIONS,
      ),
    ).rejects.toThrow('roll back');
    expect(await db.setting.findUnique({ where: { key } })).toBeNull();
  });
});
