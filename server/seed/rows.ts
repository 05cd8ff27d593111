import { ChunkPipeline, columnTypes, type RawDb } from './bulk-insert';

type Producer = () => readonly object[];

interface TableRows {
  rows: object[];
  producers: Producer[];
}

/**
 * Rows by table, written in the order each table was first added: add a parent table before
 * its children and the foreign keys hold at every statement. A table's rows may be given as a
 * producer, which builds them while the previous table's last chunk is being written.
 */
export class RowSet {
  private readonly tables = new Map<string, TableRows>();

  add<T extends object>(table: string, ...rows: T[]): void {
    this.addAll(table, rows);
  }

  addAll<T extends object>(table: string, rows: readonly T[]): void {
    const list = this.table(table).rows;
    for (const row of rows) list.push(row);
  }

  defer<T extends object>(table: string, produce: () => readonly T[]): void {
    this.table(table).producers.push(produce);
  }

  private table(name: string): TableRows {
    let entry = this.tables.get(name);
    if (!entry) {
      entry = { rows: [], producers: [] };
      this.tables.set(name, entry);
    }

    return entry;
  }

  /** Rows written per table, and milliseconds per table (building and writing) in `timings`. */
  async write(db: RawDb, timings?: Record<string, number>): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    const pipeline = new ChunkPipeline(db, await columnTypes(db, [...this.tables.keys()]));
    for (const [table, entry] of this.tables) {
      const started = performance.now();
      const rows = [...entry.rows, ...entry.producers.flatMap((produce) => produce())];
      await pipeline.insert(table, rows);
      counts[table] = rows.length;
      if (timings) timings[table] = Math.round(performance.now() - started);
    }
    await pipeline.flush();

    return counts;
  }
}

/** A date column's value: the UTC calendar date of `ms`. */
export function dateOnly(ms: number): Date {
  return new Date(`${new Date(ms).toISOString().slice(0, 10)}T00:00:00.000Z`);
}
