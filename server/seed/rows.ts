import { insertRows, type RawDb } from './bulk-insert';

/**
 * Rows collected in memory, by table, written in the order each table was first added: add a
 * parent table before its children and the foreign keys hold at every statement.
 */
export class RowSet {
  private readonly tables = new Map<string, object[]>();

  add<T extends object>(table: string, ...rows: T[]): void {
    this.list(table).push(...rows);
  }

  addAll<T extends object>(table: string, rows: readonly T[]): void {
    const list = this.list(table);
    for (const row of rows) list.push(row);
  }

  private list(table: string): object[] {
    let list = this.tables.get(table);
    if (!list) {
      list = [];
      this.tables.set(table, list);
    }

    return list;
  }

  /** Rows written per table, and milliseconds per table in `timings` when given. */
  async write(db: RawDb, timings?: Record<string, number>): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const [table, rows] of this.tables) {
      const started = performance.now();
      counts[table] = await insertRows(db, table, rows);
      if (timings) timings[table] = Math.round(performance.now() - started);
    }

    return counts;
  }
}

/** A date column's value: the UTC calendar date of `ms`. */
export function dateOnly(ms: number): Date {
  return new Date(`${new Date(ms).toISOString().slice(0, 10)}T00:00:00.000Z`);
}
