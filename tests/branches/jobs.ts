import type { Db } from '../../server/db/client';

/** Pending graphile-worker jobs under `key` (the services enqueue with `<task>:<id>` keys). */
export async function jobsWithKey(db: Db, key: string): Promise<{ task: string }[]> {
  return db.$queryRaw<{ task: string }[]>`
    SELECT task_identifier AS task FROM graphile_worker.jobs WHERE key = ${key}`;
}
