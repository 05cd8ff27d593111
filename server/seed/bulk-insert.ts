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

/** Column types of `tables` by table and column, in one query. */
export async function columnTypes(
  db: RawDb,
  tables: readonly string[],
): Promise<Map<string, Map<string, string>>> {
  const columns = await db.$queryRawUnsafe<{ table: string; name: string; type: string }[]>(
    `SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE c.relname = ANY($1::text[]) AND c.relnamespace = current_schema()::regnamespace
        AND a.attnum > 0 AND NOT a.attisdropped`,
    tables,
  );
  const byTable = new Map<string, Map<string, string>>();
  for (const c of columns) {
    const table = byTable.get(c.table) ?? new Map<string, string>();
    table.set(c.name, c.type);
    byTable.set(c.table, table);
  }

  return byTable;
}

function insertSql(
  table: string,
  types: Map<string, string> | undefined,
  fields: readonly string[],
): string {
  const record = fields.map((field) => {
    const type = types?.get(columnOf(field));
    if (!type) throw new Error(`table ${table} has no column ${columnOf(field)} (field ${field})`);

    return `"${field}" ${type}`;
  });
  const columns = fields.map((f) => `"${columnOf(f)}"`).join(', ');
  const values = fields.map((f) => `x."${f}"`).join(', ');

  return `INSERT INTO "${table}" (${columns}) SELECT ${values} FROM json_to_recordset($1::json) AS x(${record.join(', ')})`;
}

/**
 * Writes chunks one after another on one connection, serialising the next chunk (and building
 * the next table's rows) while the previous one is being written.
 */
export class ChunkPipeline {
  private pending: Promise<number> = Promise.resolve(0);
  private written = 0;

  constructor(
    private readonly db: RawDb,
    private readonly types: Map<string, Map<string, string>>,
  ) {}

  /** Queues `rows` (Prisma create inputs, ids included) for `table`. */
  async insert(table: string, rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return;
    const sql = insertSql(table, this.types.get(table), fieldsOf(rows));
    for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
      const json = JSON.stringify(rows.slice(start, start + CHUNK_ROWS));
      this.written += await this.pending;
      this.pending = this.db.$executeRawUnsafe(sql, json);
      // Awaited on the next turn; the no-op keeps a failure from being reported as unhandled
      // while the following chunk is still being serialised.
      this.pending.catch(() => undefined);
      // Prisma starts the query a few promise hops later; let it reach the socket before the
      // next chunk's serialisation blocks the event loop, so that both run at once.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Waits for the last chunk; the number of rows written in all. */
  async flush(): Promise<number> {
    const last = await this.pending;
    this.pending = Promise.resolve(0);
    this.written += last;

    return this.written;
  }
}
