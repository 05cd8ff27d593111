import type pg from 'pg';

import { intakeStatement, type IntakeRow, type StatementRow } from './intake-statement';

// Partner intake's writes, coalesced per pool: while STATEMENTS_IN_FLIGHT statements are
// running, the rows of the requests that arrive meanwhile wait and are written together by the
// next statement, up to MAX_ROWS. Every intake commit enqueues jobs, and graphile-worker's
// add_jobs notifies its workers; PostgreSQL serialises the commits of notifying transactions,
// WAL flush included, so one commit per single-event request would cap intake at one fsync per
// request whatever the CPU. A quiet server writes each request at once, as before.
//
// What a request sees is unchanged: its rows are inserted, skipped as repeats, or not at all in
// one atomic statement, and each row's audit row and apply job commit with it. A statement
// that fails is retried request by request, so that one request's failure is its own.

const STATEMENTS_IN_FLIGHT = 2;
/** Rows per coalesced statement; a request this large or larger is written by itself. */
export const MAX_COALESCED_ROWS = 1000;

interface Waiting {
  rows: readonly IntakeRow[];
  resolve: (inserted: StatementRow[]) => void;
  reject: (error: unknown) => void;
}

class IntakeWriter {
  private readonly queue: Waiting[] = [];
  private inFlight = 0;

  constructor(private readonly pool: pg.Pool) {}

  write(rows: readonly IntakeRow[]): Promise<StatementRow[]> {
    if (rows.length >= MAX_COALESCED_ROWS) return this.run(rows);

    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < STATEMENTS_IN_FLIGHT && this.queue.length > 0) {
      const group = this.take();
      this.inFlight++;
      void this.flush(group).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /** The longest run of waiting requests, in arrival order, that fits in one statement. */
  private take(): Waiting[] {
    const group = [this.queue.shift()!];
    let size = group[0]!.rows.length;
    while (this.queue.length > 0 && size + this.queue[0]!.rows.length <= MAX_COALESCED_ROWS) {
      const next = this.queue.shift()!;
      size += next.rows.length;
      group.push(next);
    }

    return group;
  }

  private async flush(group: Waiting[]): Promise<void> {
    if (group.length === 1) {
      const [only] = group;
      await this.run(only!.rows).then(only!.resolve, only!.reject);

      return;
    }
    try {
      const rows = await this.run(group.flatMap((w) => w.rows));
      const byId = new Map(rows.map((row) => [row.id, row]));
      for (const waiting of group) {
        waiting.resolve(waiting.rows.flatMap((row) => byId.get(row.id) ?? []));
      }
    } catch {
      // Nothing of the group was stored: each request is written again by itself.
      await Promise.all(group.map((w) => this.run(w.rows).then(w.resolve, w.reject)));
    }
  }

  private async run(rows: readonly IntakeRow[]): Promise<StatementRow[]> {
    const result = await this.pool.query<StatementRow>(intakeStatement(rows, false));

    return result.rows.filter((row) => row.kind === 'inserted');
  }
}

const writers = new WeakMap<pg.Pool, IntakeWriter>();

/** Writes partner rows (no transaction of the caller's), answering the rows it inserted. */
export function writePartnerRows(
  pool: pg.Pool,
  rows: readonly IntakeRow[],
): Promise<StatementRow[]> {
  let writer = writers.get(pool);
  if (!writer) {
    writer = new IntakeWriter(pool);
    writers.set(pool, writer);
  }

  return writer.write(rows);
}
