import path from 'node:path';
import { defineConfig } from 'prisma/config';

// The CLI is used only to generate the client and validate the schema here; migrations are
// applied by scripts/migrate.ts (see server/db/migrate.ts).
export default defineConfig({
  schema: path.join('prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/unused' },
});
