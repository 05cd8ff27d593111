import { sqlPoolOf, type Db } from '../../db/client';

// How intake talks to PostgreSQL: straight on the pg pool under the Prisma client when there is
// one (the same connections; Prisma's own cost per statement is most of a single-event request),
// else through Prisma's raw queries. Statements are named, so that a connection parses and plans
// each one once; Prisma's path cannot name them and prepares them its own way.

export interface Statement {
  name: string;
  text: string;
  values: unknown[];
}

export type Query = <T>(statement: Statement) => Promise<T[]>;

// Prisma opens a transaction within 2 s by default; under a burst of requests that wait is spent
// queueing for a pooled connection, and running out of it must not turn into a 5xx.
const TRANSACTION = { maxWait: 15_000, timeout: 30_000 };

/** Runs `work` with a query function: in one transaction when asked, else statement by statement. */
export async function withIntakeSql<T>(
  db: Db,
  transactional: boolean,
  work: (query: Query) => Promise<T>,
): Promise<T> {
  const pool = sqlPoolOf(db);
  if (!pool) {
    const viaPrisma =
      (run: Pick<Db, '$queryRawUnsafe'>): Query =>
      <R>({ text, values }: Statement) =>
        run.$queryRawUnsafe<R[]>(text, ...values);

    return transactional
      ? db.$transaction((tx) => work(viaPrisma(tx)), TRANSACTION)
      : work(viaPrisma(db));
  }
  const onPool: Query = async <R>(statement: Statement) =>
    (await pool.query<R & object>(statement)).rows;
  if (!transactional) return work(onPool);

  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(
      async <R>(statement: Statement) => (await client.query<R & object>(statement)).rows,
    );
    await client.query('COMMIT');

    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((failed: Error) => (broken = failed));
    throw error;
  } finally {
    // A connection whose rollback failed is in an unknown state: the pool must not hand it on.
    client.release(broken);
  }
}
