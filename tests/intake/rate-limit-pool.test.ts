import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

import { rateLimitPool } from '../../server/lib/rate-limit';

// The rate limiter's pool outlives a broken connection: an idle connection killed by the server
// (a restart, an administrator) was an unhandled 'error' event, which ends a Node process.

const pool = rateLimitPool(process.env.DATABASE_URL!, 1);

afterAll(async () => {
  await pool.end();
});

describe('the rate limit pool', () => {
  it('survives the server ending its idle connection, and serves the next query', async () => {
    const { rows: before } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const pid = before[0]!.pid;
    const killer = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await killer.connect();
    await killer.query('SELECT pg_terminate_backend($1)', [pid]);
    await killer.end();
    await new Promise((resolve) => setTimeout(resolve, 200));

    const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    expect(rows[0]!.pid).not.toBe(pid);
  });
});
