import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { sqlPoolOf, type Db, type Tx } from './client';
import { join, raw, sql, type Sql } from './generated/internal/prismaNamespace';

// Hot raw statements (the apply's, slotting's, billing's), sent straight on the pg connection
// that holds their Prisma transaction: the same transaction and locks, without Prisma's own
// cost per statement (about 0.3 ms of Node CPU each, measured on the ERP record job). Prisma's
// pg adapter takes a transaction's connection from the pool under the client (pool.connect) in
// the async context of the $transaction call; a transaction started by inTransaction keeps the
// first connection taken in its context. Where there is none (another client, or an adapter that
// took its connection elsewhere), the statements go through Prisma's raw queries, as before.

interface Holder {
  client: pg.PoolClient | null;
  asked: boolean;
}

type Connect = pg.Pool['connect'];
type Callback = (err: Error | undefined, client?: pg.PoolClient, done?: () => void) => void;

const context = new AsyncLocalStorage<Holder>();
const watched = new WeakSet<pg.Pool>();
const clients = new WeakMap<object, pg.PoolClient>();

function watch(pool: pg.Pool) {
  if (watched.has(pool)) return;
  watched.add(pool);
  const connect = pool.connect.bind(pool) as (cb?: Callback) => Promise<pg.PoolClient> | void;
  const wrapped = (callback?: Callback) => {
    const holder = context.getStore();
    if (!holder || holder.asked) return connect(callback);
    holder.asked = true;
    if (callback)
      return connect((err, client, done) => {
        if (client) holder.client = client;
        callback(err, client, done);
      });

    return (connect() as Promise<pg.PoolClient>).then((client) => {
      holder.client = client;

      return client;
    });
  };
  pool.connect = wrapped as unknown as Connect;
}

/** db.$transaction, with the transaction's own pg connection known to rawQuery/rawExecute. */
export async function inTransaction<T>(
  db: Db,
  work: (tx: Tx) => Promise<T>,
  options: { timeout: number; maxWait: number },
): Promise<T> {
  const pool = sqlPoolOf(db);
  if (!pool) return db.$transaction(work, options);
  watch(pool);
  const holder: Holder = { client: null, asked: false };

  return context.run(holder, () =>
    db.$transaction(async (tx) => {
      if (holder.client) clients.set(tx, holder.client);
      try {
        return await work(tx);
      } finally {
        clients.delete(tx);
      }
    }, options),
  );
}

/** Prisma's raw values, as Prisma sends them: times in ISO (UTC), decimals and bigints as text. */
function param(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(param);
  if (typeof value === 'bigint') return value.toString();
  if (value !== null && typeof value === 'object' && 'toFixed' in value) return String(value);

  return value;
}

// Each text is a named statement on its connection: PostgreSQL parses it once per connection and,
// once its generic plan proves as cheap as the custom ones (after five runs), plans it no more.
// The texts are the code's templates (values travel as parameters), so the names are bounded.
const names = new Map<string, string>();

function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `ct_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }

  return name;
}

function send(client: pg.PoolClient, statement: Sql) {
  return client.query({
    name: statementName(statement.text),
    text: statement.text,
    values: statement.values.map(param),
  });
}

/**
 * Rows of a statement whose columns are text, uuid, boolean, int4, timestamptz or json (read
 * alike by Prisma and pg); others (numeric, int8, date) must be cast to text by the statement.
 */
export async function rawQuery<T>(tx: Tx, statement: Sql): Promise<T[]> {
  const client = clients.get(tx);
  if (!client) return tx.$queryRaw<T[]>(statement);
  const result = await send(client, statement);

  return result.rows as T[];
}

export async function rawExecute(tx: Tx, statement: Sql): Promise<number> {
  const client = clients.get(tx);
  if (!client) return tx.$executeRaw(statement);
  const result = await send(client, statement);

  return result.rowCount ?? 0;
}

/** Statements with nothing to answer as the WITH items of one statement: `w0 AS (...), w1 AS (...)`. */
export function asCtes(writes: readonly Sql[]): Sql {
  return join(
    writes.map((w, i) => sql`${raw(`w${i}`)} AS (${w})`),
    ', ',
  );
}
