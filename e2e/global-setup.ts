import { createPrisma } from '../server/db/client';
import { migrate } from '../server/db/migrate';
import {
  ALLOWED_HOSTS_ENV,
  allowListWith,
} from '../server/domain/integration/webhooks/target-policy';
import { prepareQueue, startWorker, type WorkerHandle } from '../server/jobs/worker';
import { recreateDatabase } from './support/database';
import {
  E2E_API_KEY_ENV,
  E2E_BASE_URL,
  E2E_DATABASE_NAME,
  E2E_NEXTAUTH_SECRET,
  E2E_PORT,
  E2E_SERVER_URL,
  E2E_WEBHOOK_RECEIVER_URL,
} from './support/e2e-env';
import {
  assertPortFree,
  ensureBuild,
  startServer,
  stopServer,
  waitForServer,
} from './support/server';
import { seedE2eWorld } from './fixtures/world';

async function seed(databaseUrl: string): Promise<string> {
  const db = createPrisma(databaseUrl, 2);
  try {
    return (await seedE2eWorld(db)).apiKey;
  } finally {
    await db.$disconnect();
  }
}

// The jobs (apply, readiness gate, branches) run in this process, on the run's database.
async function startJobs(databaseUrl: string): Promise<WorkerHandle> {
  await prepareQueue(databaseUrl);

  return startWorker(databaseUrl, 4);
}

// A fresh database of the run's own, migrated and filled with the e2e world, a worker for its
// jobs, and the built app started against it. The returned function is Playwright's teardown.
// Test workers inherit this process's environment, and with it the partner's plain API key.
export default async function globalSetup() {
  await assertPortFree(E2E_PORT);
  const databaseUrl = await recreateDatabase(E2E_SERVER_URL, E2E_DATABASE_NAME);
  await migrate(databaseUrl);
  process.env[E2E_API_KEY_ENV] = await seed(databaseUrl);

  ensureBuild();
  // The app checks a subscription's URL, this process's worker the address it connects to.
  process.env[ALLOWED_HOSTS_ENV] = allowListWith(
    process.env[ALLOWED_HOSTS_ENV],
    E2E_WEBHOOK_RECEIVER_URL,
  );
  const worker = await startJobs(databaseUrl);
  const server = startServer(E2E_PORT, {
    DATABASE_URL: databaseUrl,
    NEXTAUTH_SECRET: E2E_NEXTAUTH_SECRET,
    NEXTAUTH_URL: E2E_BASE_URL,
    LOG_FORMAT: 'json',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  const stop = async () => {
    await stopServer(server);
    await worker.stop();
  };
  try {
    await waitForServer(`${E2E_BASE_URL}/login`, server);
  } catch (error) {
    await stop();
    throw error;
  }

  return stop;
}
