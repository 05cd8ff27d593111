import pg from 'pg';
import { migrationStatus } from './migrate';

// What /api/health reports: the database reachable, the migrations current, a live worker.
export const WORKER_STALE_MS = 30_000;

export interface Health {
  ok: boolean;
  database: { ok: boolean; error?: string };
  migrations: { ok: boolean; applied?: number; pending?: string[]; error?: string };
  worker: { ok: boolean; lastSeenAt?: string | null; workers?: number };
}

export async function checkHealth(url: string): Promise<Health> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
  } catch (error) {
    return {
      ok: false,
      database: { ok: false, error: (error as Error).message },
      migrations: { ok: false },
      worker: { ok: false },
    };
  }
  try {
    const [migrations, worker] = await Promise.all([checkMigrations(client), checkWorker(client)]);

    return { ok: migrations.ok && worker.ok, database: { ok: true }, migrations, worker };
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkMigrations(client: pg.Client): Promise<Health['migrations']> {
  try {
    const status = await migrationStatus(client);

    return {
      ok: status.pending.length === 0,
      applied: status.applied.length,
      pending: status.pending,
    };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

async function checkWorker(client: pg.Client): Promise<Health['worker']> {
  const result = await client
    .query<{ last: Date | null; live: string }>(
      `SELECT max(seen_at) AS last, count(*) FILTER (WHERE seen_at > now() - $1::interval) AS live
       FROM worker_heartbeats`,
      [`${WORKER_STALE_MS} milliseconds`],
    )
    .catch(() => null);
  const row = result?.rows[0];
  const live = Number(row?.live ?? 0);

  return { ok: live > 0, lastSeenAt: row?.last?.toISOString() ?? null, workers: live };
}
