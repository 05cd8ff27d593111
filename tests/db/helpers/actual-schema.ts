import pg from 'pg';
import type { ColumnFact, ForeignKeyFact, IndexFact, SchemaFacts } from './schema-facts';

// What the migrated database holds in its `public` schema, read from pg_catalog, in the same
// shape as the expectations built from the Prisma schema. Prisma's own bookkeeping table is not
// part of the schema.

const IGNORED_TABLES = ['_prisma_migrations'];

const TABLES = `
  SELECT c.oid, c.relname
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> ALL($1)`;

const ENUMS = `
  SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
  FROM pg_type t
  JOIN pg_namespace n ON n.oid = t.typnamespace
  JOIN pg_enum e ON e.enumtypid = t.oid
  WHERE n.nspname = 'public'
  GROUP BY t.typname`;

const COLUMNS = `
  SELECT t.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
         a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default,
         a.attidentity AS identity, a.attgenerated AS generated
  FROM (${TABLES}) t
  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum`;

const INDEXES = `
  SELECT t.relname AS table, ic.relname AS name, i.indisprimary AS primary, i.indisunique AS unique,
         am.amname AS method, pg_get_expr(i.indpred, i.indrelid) AS predicate,
         ARRAY(
           SELECT pg_get_indexdef(i.indexrelid, k, true)
                  || CASE WHEN i.indoption[k - 1] & 1 = 1 THEN ' DESC' ELSE '' END
           FROM generate_series(1, i.indnkeyatts) AS k ORDER BY k
         ) AS columns
  FROM (${TABLES}) t
  JOIN pg_index i ON i.indrelid = t.oid
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_am am ON am.oid = ic.relam`;

const ACTIONS: Record<string, string> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

const FOREIGN_KEYS = `
  SELECT t.relname AS table, con.conname AS name, ref.relname AS ref_table,
         con.confdeltype AS on_delete, con.confupdtype AS on_update,
         ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(num, ord)
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num
               ORDER BY k.ord) AS columns,
         ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(num, ord)
               JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num
               ORDER BY k.ord) AS ref_columns
  FROM (${TABLES}) t
  JOIN pg_constraint con ON con.conrelid = t.oid AND con.contype = 'f'
  JOIN pg_class ref ON ref.oid = con.confrelid`;

export async function actualFacts(databaseUrl: string): Promise<SchemaFacts> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const query = async <T extends pg.QueryResultRow>(sql: string, params = [IGNORED_TABLES]) =>
      (await client.query<T>(sql, params)).rows;

    return {
      tables: (await query<{ relname: string }>(TABLES)).map((row) => row.relname),
      enums: await query<{ name: string; values: string[] }>(ENUMS, []),
      columns: (await query<ColumnRow>(COLUMNS)).map(toColumn),
      indexes: (await query<IndexRow>(INDEXES)).map(toIndex),
      foreignKeys: (await query<ForeignKeyRow>(FOREIGN_KEYS)).map(toForeignKey),
    };
  } finally {
    await client.end();
  }
}

interface ColumnRow {
  table: string;
  name: string;
  type: string;
  not_null: boolean;
  default: string | null;
  identity: string;
  generated: string;
}

function toColumn(row: ColumnRow): ColumnFact {
  // Identity and generated columns are not what Prisma writes; show them so they stand out.
  const extra = (row.identity ? ' IDENTITY' : '') + (row.generated ? ' GENERATED' : '');

  return {
    table: row.table,
    name: row.name,
    type: unquote(row.type) + extra,
    notNull: row.not_null,
    default: row.default === null ? null : normaliseDefault(row.default),
  };
}

/**
 * Casts go (`'USD'::bpchar`, `'DRAFT'::"InvoiceStatus"`): the column's type is compared on its
 * own. `now()` and CURRENT_TIMESTAMP are the same function; Prisma writes the latter.
 */
function normaliseDefault(expression: string): string {
  const withoutCasts = expression.replace(
    /::(?:"[^"]+"|[a-z_]+(?: [a-z_]+)*)(?:\(\d+(?:,\d+)?\))?(?:\[\])?/g,
    '',
  );

  return withoutCasts === 'now()' ? 'CURRENT_TIMESTAMP' : withoutCasts;
}

/** format_type() quotes mixed-case names (`"ShipmentStatus"[]`); the schema spells them bare. */
function unquote(type: string): string {
  return type.replace(/"/g, '');
}

interface IndexRow {
  table: string;
  name: string;
  primary: boolean;
  unique: boolean;
  method: string;
  predicate: string | null;
  columns: string[];
}

function toIndex(row: IndexRow): IndexFact {
  return {
    table: row.table,
    name: row.name,
    kind: row.primary ? 'PRIMARY KEY' : row.unique ? 'UNIQUE' : 'INDEX',
    columns: row.columns.map(unquote),
    method: row.method,
    predicate: row.predicate,
  };
}

interface ForeignKeyRow {
  table: string;
  name: string;
  ref_table: string;
  on_delete: string;
  on_update: string;
  columns: string[];
  ref_columns: string[];
}

function toForeignKey(row: ForeignKeyRow): ForeignKeyFact {
  return {
    table: row.table,
    name: row.name,
    columns: row.columns,
    refTable: row.ref_table,
    refColumns: row.ref_columns,
    onDelete: ACTIONS[row.on_delete] ?? `unknown (${row.on_delete})`,
    onUpdate: ACTIONS[row.on_update] ?? `unknown (${row.on_update})`,
  };
}
