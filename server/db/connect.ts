import pg from 'pg';
import { describeDatabase } from '../lib/runtime';

export class DatabaseUnreachableError extends Error {}

/** Fails fast with one line naming the host, instead of hanging on an unreachable server. */
export async function assertReachable(url: string, timeoutMs = 5_000): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const reason = (error as Error).message || (error as { code?: string }).code || 'no answer';
    throw new DatabaseUnreachableError(
      `cannot reach the database at ${describeDatabase(url)}: ${reason}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
