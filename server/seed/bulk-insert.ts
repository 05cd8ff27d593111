import type { Tx } from '../db/client';

/** What set-based writes need of a client: a Db and a transaction's client both qualify. */
export type RawDb = Pick<Tx, '$executeRawUnsafe' | '$queryRawUnsafe'>;

// Set-based writes for the seed: each chunk of rows travels as one JSON parameter and is
// unpacked by json_to_recordset with the table's own column types (enums, arrays, numeric,
// timestamptz, jsonb), read from the catalogue. The JSON keeps Prisma's camelCase field names,
// so rows are serialised as built, without a renamed copy. One statement per few thousand rows
// is what makes half a million rows fit in seconds.
const CHUNK_ROWS = 4_000;

/** Prisma field names are camelCase and the columns their snake_case spelling (see @map). */
function columnOf(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function fieldsOf(rows: readonly object[]): string[] {
  const fields = new Set<string>();
  for (const row of rows) {
    for (const key in row) if ((row as Record<string, unknown>)[key] !== undefined) fields.add(key);
  }

  return [...fields];
}

async function columnTypes(db: RawDb, table: string): Promise<Map<string, string>> {
  const columns = await db.$queryRawUnsafe<{ name: string; type: string }[]>(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type
       FROM pg_attribute WHERE attrelid = $1::text::regclass AND attnum > 0 AND NOT attisdropped`,
    table,
  );

  return new Map(columns.map((c) => [c.name, c.type]));
}

async function insertSql(db: RawDb, table: string, fields: readonly string[]): Promise<string> {
  const types = await columnTypes(db, table);
  const record = fields.map((field) => {
    const type = types.get(columnOf(field));
    if (!type) throw new Error(`table ${table} has no column ${columnOf(field)} (field ${field})`);

    return `"${field}" ${type}`;
  });
  const columns = fields.map((f) => `"${columnOf(f)}"`).join(', ');
  const values = fields.map((f) => `x."${f}"`).join(', ');

  return `INSERT INTO "${table}" (${columns}) SELECT ${values} FROM json_to_recordset($1::json) AS x(${record.join(', ')})`;
}

/**
 * Inserts `rows` (Prisma create inputs, ids included: the columns have no database default)
 * into `table`. The next chunk is serialised while the previous one is being written.
 */
export async function insertRows(db: RawDb, table: string, rows: readonly object[]): Promise<number> {
  if (rows.length === 0) return 0;
  const sql = await insertSql(db, table, fieldsOf(rows));
  let pending: Promise<number> = Promise.resolve(0);
  let written = 0;
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    const json = JSON.stringify(rows.slice(start, start + CHUNK_ROWS));
    written += await pending;
    pending = db.$executeRawUnsafe(sql, json);
    // Awaited on the next turn; the no-op keeps a failure from being reported as unhandled
    // while the following chunk is still being serialised.
    pending.catch(() => undefined);
    // Prisma starts the query a few promise hops later; let it reach the socket before the
    // next chunk's serialisation blocks the event loop, so that both run at once.
    await new Promise((resolve) => setImmediate(resolve));
  }

  return written + (await pending);
}
