import { assertReachable } from '../server/db/connect';
import { requireSigningKey } from '../server/domain/audit/signing-key';
import { requireDatabaseUrl } from '../server/db/client';
import { migrationStatus } from '../server/db/migrate';
import { prepareQueue, startWorker } from '../server/jobs/worker';
import { logger } from '../server/lib/logger';
import pg from 'pg';

// `npm run worker`: one more worker process on DATABASE_URL; any number share the queue.
const log = logger('worker-process');

async function main(): Promise<void> {
  const url = requireDatabaseUrl();
  await assertReachable(url);
  // A worker on DATABASE_URL seals the audit log: its key must come from the environment.
  requireSigningKey({ embedded: false });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const status = await migrationStatus(client).finally(() => client.end());
  if (status.pending.length > 0)
    throw new Error(
      `migrations pending (${status.pending.join(', ')}); run \`npm run migrate\` first`,
    );
  await prepareQueue(url);
  const worker = await startWorker(url);
  const stop = () => void worker.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  log.info('worker process running');
}

main().catch((error: unknown) => {
  process.stderr.write(`worker: ${(error as Error).message}\n`);
  process.exit(1);
});
