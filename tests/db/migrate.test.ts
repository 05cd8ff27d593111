import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, MigrationError, migrate, migrationStatus } from '../../server/db/migrate';
import { createDatabase, dropDatabase } from '../setup/test-database';
import { copyMigrations, migrationNames, type TempMigrations } from './helpers/temp-migrations';

// The runner stands in for `prisma migrate deploy`, which cannot run here: it must leave
// `_prisma_migrations` exactly as Prisma would, refuse history that changed under it, apply a
// migration wholly or not at all, and be safe when two processes start at once.

const databases: string[] = [];
const scratches: TempMigrations[] = [];

afterAll(async () => {
  for (const scratch of scratches) scratch.remove();
  for (const url of databases) await dropDatabase(adminUrl(), url);
});

function adminUrl(): string {
  const url = process.env.CT_ADMIN_DATABASE_URL;
  if (!url) throw new Error('CT_ADMIN_DATABASE_URL is unset: run through vitest (tests/setup)');

  return url;
}

async function emptyDatabase(): Promise<string> {
  const url = await createDatabase(adminUrl(), 'ct_migrate');
  databases.push(url);

  return url;
}

function scratchMigrations(): TempMigrations {
  const scratch = copyMigrations();
  scratches.push(scratch);

  return scratch;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  return withClient(url, async (client) => (await client.query<T>(sql)).rows);
}

interface MigrationRow {
  id: string;
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  started_at: Date;
  rolled_back_at: Date | null;
  logs: string | null;
  applied_steps_count: number;
}

async function migrationRows(url: string): Promise<MigrationRow[]> {
  return query<MigrationRow>(url, 'SELECT * FROM "_prisma_migrations" ORDER BY migration_name');
}

async function tableExists(url: string, table: string): Promise<boolean> {
  const rows = await query<{ found: string | null }>(
    url,
    `SELECT to_regclass('${table}') AS found`,
  );

  return rows[0]?.found !== null;
}

/** The error a promise rejects with; fails the test if it resolves. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof Error)) throw new Error(`expected a rejection, got ${String(outcome)}`);

  return outcome;
}

function sha256Hex(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

const INIT = migrationNames()[0]!;

describe('migrate', () => {
  it('applies every migration to an empty database, recorded as prisma migrate deploy does', async () => {
    const url = await emptyDatabase();

    const status = await migrate(url);

    expect(status).toEqual({ applied: migrationNames(), pending: [] });
    const rows = await migrationRows(url);
    expect(rows.map((row) => row.migration_name)).toEqual(migrationNames());
    for (const row of rows) {
      expect(row.checksum).toBe(
        sha256Hex(path.join(MIGRATIONS_DIR, row.migration_name, 'migration.sql')),
      );
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.applied_steps_count).toBe(1);
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(await tableExists(url, 'shipments')).toBe(true);
  });

  it('applies nothing on a second run', async () => {
    const url = await emptyDatabase();
    await migrate(url);
    const before = await migrationRows(url);

    const status = await migrate(url);

    expect(status).toEqual({ applied: migrationNames(), pending: [] });
    expect(await migrationRows(url)).toEqual(before);
  });

  it('reports what is pending and what is applied', async () => {
    const url = await emptyDatabase();
    const status = () => withClient(url, (client) => migrationStatus(client));

    expect(await status()).toEqual({ applied: [], pending: migrationNames() });
    await migrate(url);
    expect(await status()).toEqual({ applied: migrationNames(), pending: [] });
  });

  it('refuses an applied migration whose file changed, naming it', async () => {
    const url = await emptyDatabase();
    const scratch = scratchMigrations();
    await migrate(url, scratch.dir);
    scratch.edit(INIT, (sql) => `${sql}\n-- an afterthought\n`);

    const error = await failure(migrate(url, scratch.dir));

    expect(error).toBeInstanceOf(MigrationError);
    expect(error.message).toContain(`migration ${INIT} was changed after it was applied`);
    const statusError = await failure(withClient(url, (c) => migrationStatus(c, scratch.dir)));
    expect(statusError.message).toContain(INIT);
  });

  it('refuses to go on past a migration recorded as unfinished', async () => {
    const url = await emptyDatabase();
    await migrate(url);
    // What `prisma migrate deploy` leaves behind when a migration fails half-way.
    await query(url, `UPDATE "_prisma_migrations" SET finished_at = NULL`);

    const error = await failure(migrate(url));

    expect(error).toBeInstanceOf(MigrationError);
    expect(error.message).toContain(`migration ${INIT} failed earlier`);
  });

  it('leaves nothing of a failing migration behind, and names it', async () => {
    const url = await emptyDatabase();
    const scratch = scratchMigrations();
    const broken = '29990101000000_broken';
    scratch.add(
      broken,
      'CREATE TABLE probe_good (id integer);\nINSERT INTO no_such_table VALUES (1);\n',
    );

    const error = await failure(migrate(url, scratch.dir));

    expect(error).toBeInstanceOf(MigrationError);
    expect(error.message).toContain(`migration ${broken} failed at line 2`);
    expect(error.message).toContain('no_such_table');
    expect(await tableExists(url, 'probe_good')).toBe(false);
    expect((await migrationRows(url)).map((row) => row.migration_name)).toEqual(migrationNames());
  });

  it('applies a failed migration once its file is fixed', async () => {
    const url = await emptyDatabase();
    const scratch = scratchMigrations();
    const broken = '29990101000000_broken';
    scratch.add(broken, 'CREATE TABLE probe_good (id integer);\nSELECT 1 / 0;\n');
    await failure(migrate(url, scratch.dir));
    scratch.edit(broken, (sql) => sql.replace('SELECT 1 / 0;\n', ''));

    const status = await migrate(url, scratch.dir);

    expect(status.applied).toEqual([...migrationNames(), broken]);
    expect(await tableExists(url, 'probe_good')).toBe(true);
  });

  it('applies each migration once when several runs start together on one database', async () => {
    const url = await emptyDatabase();
    const scratch = scratchMigrations();
    scratch.add('29990101000001_probe_a', 'CREATE TABLE probe_a (id integer PRIMARY KEY);\n');
    scratch.add('29990101000002_probe_b', 'CREATE TABLE probe_b (id integer PRIMARY KEY);\n');
    const all = [...migrationNames(), '29990101000001_probe_a', '29990101000002_probe_b'];

    // allSettled: every run must finish before the database is dropped, even when one fails.
    const results = await Promise.allSettled([1, 2, 3].map(() => migrate(url, scratch.dir)));

    for (const result of results) {
      expect(result).toEqual({ status: 'fulfilled', value: { applied: all, pending: [] } });
    }
    const counts = await query<{ migration_name: string; n: number }>(
      url,
      'SELECT migration_name, count(*)::int AS n FROM "_prisma_migrations" GROUP BY 1 ORDER BY 1',
    );
    expect(counts).toEqual(all.map((name) => ({ migration_name: name, n: 1 })));
  });
});
