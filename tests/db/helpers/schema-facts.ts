// One shape for both sides of the schema check: what the Prisma schema declares and what the
// migrated database holds. Each fact renders as one line, so a mismatch reads as a diff of lines
// such as `shipments.released_at timestamp(3) with time zone NOT NULL`.

export interface ColumnFact {
  table: string;
  name: string;
  /** As PostgreSQL's format_type() spells it, identifiers unquoted: `numeric(12,3)`, `Role[]`. */
  type: string;
  notNull: boolean;
  /** The default expression without casts (`'USD'`, `CURRENT_TIMESTAMP`), or null for none. */
  default: string | null;
}

export type IndexKind = 'PRIMARY KEY' | 'UNIQUE' | 'INDEX';

export interface IndexFact {
  table: string;
  name: string;
  kind: IndexKind;
  /** In index order; a descending column reads `col DESC`. */
  columns: string[];
  method: string;
  predicate: string | null;
}

export interface ForeignKeyFact {
  table: string;
  name: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  onDelete: string;
  onUpdate: string;
}

export interface SchemaFacts {
  tables: string[];
  /** Enum name with its values; values are compared as a set (see renderEnum). */
  enums: { name: string; values: string[] }[];
  columns: ColumnFact[];
  indexes: IndexFact[];
  foreignKeys: ForeignKeyFact[];
}

export type Section = 'tables' | 'enums' | 'columns' | 'indexes' | 'foreignKeys';
export const SECTIONS: Section[] = ['tables', 'enums', 'columns', 'indexes', 'foreignKeys'];

export function renderColumn(c: ColumnFact): string {
  const nullability = c.notNull ? ' NOT NULL' : '';
  const fallback = c.default === null ? '' : ` DEFAULT ${c.default}`;

  return `${c.table}.${c.name} ${c.type}${nullability}${fallback}`;
}

export function renderIndex(i: IndexFact): string {
  const method = i.method === 'btree' ? '' : ` USING ${i.method}`;
  const predicate = i.predicate ? ` WHERE ${i.predicate}` : '';

  return `${i.table} ${i.kind} ${i.name} (${i.columns.join(', ')})${method}${predicate}`;
}

export function renderForeignKey(f: ForeignKeyFact): string {
  const target = `${f.refTable}(${f.refColumns.join(', ')})`;

  return `${f.name}: ${f.table}(${f.columns.join(', ')}) -> ${target} ON DELETE ${f.onDelete} ON UPDATE ${f.onUpdate}`;
}

/**
 * Values sorted: `ALTER TYPE ... ADD VALUE` appends, so a value added to the middle of a Prisma
 * enum lands last in the database, and Prisma itself does not treat that as drift.
 */
export function renderEnum(e: { name: string; values: string[] }): string {
  return `${e.name}: ${[...e.values].sort().join(', ')}`;
}

/** Each section as sorted lines, ready for `toEqual`. */
export function render(facts: SchemaFacts): Record<Section, string[]> {
  const sorted = (lines: string[]) => [...lines].sort();

  return {
    tables: sorted(facts.tables),
    enums: sorted(facts.enums.map(renderEnum)),
    columns: sorted(facts.columns.map(renderColumn)),
    indexes: sorted(facts.indexes.map(renderIndex)),
    foreignKeys: sorted(facts.foreignKeys.map(renderForeignKey)),
  };
}

export interface SchemaDiff {
  /** Declared by the schema, absent from (or different in) the database. */
  missing: string[];
  /** In the database, not declared by the schema (or declared differently). */
  unexpected: string[];
}

export function diffFacts(expected: SchemaFacts, actual: SchemaFacts): SchemaDiff {
  const want = render(expected);
  const have = render(actual);
  const missing: string[] = [];
  const unexpected: string[] = [];
  for (const section of SECTIONS) {
    const haveSet = new Set(have[section]);
    const wantSet = new Set(want[section]);
    missing.push(
      ...want[section].filter((line) => !haveSet.has(line)).map((l) => `${section}: ${l}`),
    );
    unexpected.push(
      ...have[section].filter((line) => !wantSet.has(line)).map((l) => `${section}: ${l}`),
    );
  }

  return { missing, unexpected };
}

/**
 * Foreign keys whose columns are not the leading columns (in any order) of some full btree index
 * of their table: deleting or updating a referenced row would scan the whole referencing table.
 */
export function unindexedForeignKeys(facts: SchemaFacts): string[] {
  const leading = (index: IndexFact, n: number) =>
    index.columns.slice(0, n).map((column) => column.replace(/ DESC$/, ''));
  const covered = (fk: ForeignKeyFact) =>
    facts.indexes.some(
      (index) =>
        index.table === fk.table &&
        index.method === 'btree' &&
        index.predicate === null &&
        sameSet(leading(index, fk.columns.length), fk.columns),
    );

  return facts.foreignKeys
    .filter((fk) => !covered(fk))
    .map(renderForeignKey)
    .sort();
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
