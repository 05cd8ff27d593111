import { createPrisma } from '../server/db/client';
import { migrate } from '../server/db/migrate';
import { recreateDatabase } from './support/database';
import {
  E2E_BASE_URL,
  E2E_DATABASE_NAME,
  E2E_NEXTAUTH_SECRET,
  E2E_PORT,
  E2E_SERVER_URL,
} from './support/e2e-env';
import {
  assertPortFree,
  ensureBuild,
  startServer,
  stopServer,
  waitForServer,
} from './support/server';
import { seedE2eWorld } from './fixtures/world';

// A fresh database of the run's own, migrated and filled with the e2e world, and the built app
// started against it. The returned function is Playwright's teardown.
export default async function globalSetup() {
  await assertPortFree(E2E_PORT);
  const databaseUrl = await recreateDatabase(E2E_SERVER_URL, E2E_DATABASE_NAME);
  await migrate(databaseUrl);

  const db = createPrisma(databaseUrl, 2);
  try {
    await seedE2eWorld(db);
  } finally {
    await db.$disconnect();
  }

  ensureBuild();
  const server = startServer(E2E_PORT, {
    DATABASE_URL: databaseUrl,
    NEXTAUTH_SECRET: E2E_NEXTAUTH_SECRET,
    NEXTAUTH_URL: E2E_BASE_URL,
    LOG_FORMAT: 'json',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  try {
    await waitForServer(`${E2E_BASE_URL}/login`, server);
  } catch (error) {
    await stopServer(server);
    throw error;
  }

  return () => stopServer(server);
}
