import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { logger } from '../lib/logger';

// Applies prisma/migrations/<name>/migration.sql in name order and records each in Prisma's
// `_prisma_migrations` table exactly as `prisma migrate deploy` does (same columns, checksum =
// SHA-256 hex of the file), under Prisma's advisory lock, so that the two stay interchangeable.
// Unlike Prisma, each migration runs inside one transaction: a failure leaves nothing behind.

const log = logger('migrate');
const PRISMA_ADVISORY_LOCK = 72707369;
export const MIGRATIONS_DIR = path.join(
  /* turbopackIgnore: true */ process.cwd(),
  'prisma',
  'migrations',
);

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export class MigrationError extends Error {}

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, 'migration.sql')),
    )
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const bytes = fs.readFileSync(path.join(dir, name, 'migration.sql'));

      return {
        name,
        sql: bytes.toString('utf8'),
        checksum: createHash('sha256').update(bytes).digest('hex'),
      };
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

/** Compares the files with the table; throws on a changed or failed migration. */
function compare(files: MigrationFile[], rows: AppliedRow[]): MigrationStatus {
  const byName = new Map(rows.filter((r) => !r.rolled_back_at).map((r) => [r.migration_name, r]));
  const applied: string[] = [];
  const pending: string[] = [];
  for (const file of files) {
    const row = byName.get(file.name);
    if (!row) {
      pending.push(file.name);
      continue;
    }
    if (!row.finished_at)
      throw new MigrationError(
        `migration ${file.name} failed earlier and is recorded as unfinished; resolve it before starting`,
      );
    if (row.checksum !== file.checksum) {
      throw new MigrationError(
        `migration ${file.name} was changed after it was applied (checksum ${row.checksum.slice(0, 12)}… in the database, ${file.checksum.slice(0, 12)}… on disk); restore the file or add a new migration`,
      );
    }
    applied.push(file.name);
  }

  return { applied, pending };
}

async function readApplied(client: pg.ClientBase): Promise<AppliedRow[]> {
  const exists = await client.query(`SELECT to_regclass('"_prisma_migrations"') AS t`);
  if (!exists.rows[0]?.t) return [];
  const result = await client.query<AppliedRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
  );

  return result.rows;
}

export async function migrationStatus(
  client: pg.ClientBase,
  dir = MIGRATIONS_DIR,
): Promise<MigrationStatus> {
  return compare(readMigrations(dir), await readApplied(client));
}

export async function migrate(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<MigrationStatus> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
    await client.query(CREATE_TABLE);
    const files = readMigrations(dir);
    const status = compare(files, await readApplied(client));
    for (const name of status.pending)
      await applyOne(
        client,
        files.find((f) => f.name === name)!,
      );

    return { applied: [...status.applied, ...status.pending], pending: [] };
  } finally {
    await client
      .query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK])
      .catch(() => undefined);
    await client.end();
  }
}

async function applyOne(client: pg.ClientBase, file: MigrationFile): Promise<void> {
  const started = new Date();
  await client.query('BEGIN');
  try {
    // No parameters: the simple query protocol runs the whole file, several statements at once.
    await client.query(file.sql);
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count)
       VALUES ($1, $2, now(), $3, NULL, $4, 1)`,
      [randomUUID(), file.checksum, file.name, started],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const pgError = error as { message?: string; position?: string };
    const where = pgError.position ? ` at line ${lineOf(file.sql, Number(pgError.position))}` : '';
    throw new MigrationError(
      `migration ${file.name} failed${where}: ${pgError.message ?? String(error)}; nothing of it was applied`,
    );
  }
  log.info({ migration: file.name }, 'applied migration');
}

function lineOf(sql: string, position: number): number {
  return sql.slice(0, position).split('\n').length;
}
