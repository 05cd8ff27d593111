import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MIGRATIONS_DIR } from '../../../server/db/migrate';

// Scratch copies of prisma/migrations, so that tests can change, add or break migrations
// without touching the project's own files.

export interface TempMigrations {
  dir: string;
  /** The migration.sql of one migration in the copy. */
  file(name: string): string;
  add(name: string, sql: string): void;
  edit(name: string, change: (sql: string) => string): void;
  remove(): void;
}

export function copyMigrations(): TempMigrations {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-migrations-'));
  fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  const file = (name: string) => path.join(dir, name, 'migration.sql');

  return {
    dir,
    file,
    add(name, sql) {
      fs.mkdirSync(path.join(dir, name));
      fs.writeFileSync(file(name), sql);
    },
    edit(name, change) {
      const before = fs.readFileSync(file(name), 'utf8');
      const after = change(before);
      // A change that matched nothing would make the test prove nothing.
      if (after === before) throw new Error(`the edit left ${name} unchanged`);
      fs.writeFileSync(file(name), after);
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The names of the project's migrations, in the order they apply. */
export function migrationNames(): string[] {
  return fs
    .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}
