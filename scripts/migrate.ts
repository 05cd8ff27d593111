import { assertReachable } from '../server/db/connect';
import { requireDatabaseUrl } from '../server/db/client';
import { migrate } from '../server/db/migrate';
import { prepareQueue } from '../server/jobs/worker';
import { logger } from '../server/lib/logger';

// `npm run migrate`: applies pending migrations at DATABASE_URL (the start command does it too).
async function main(): Promise<void> {
  const url = requireDatabaseUrl();
  await assertReachable(url);
  const status = await migrate(url);
  await prepareQueue(url);
  logger('migrate').info({ applied: status.applied.length }, 'migrations current');
}

main().catch((error: unknown) => {
  process.stderr.write(`migrate: ${(error as Error).message}\n`);
  process.exit(1);
});
