// Where the e2e run's server and database live. Read by playwright.config.ts and global setup.

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3310);
export const E2E_BASE_URL = `http://127.0.0.1:${E2E_PORT}`;

/** The webhook receiver of webhooks.e2e.ts: the only loopback target the run's policy allows. */
export const E2E_WEBHOOK_RECEIVER_PORT = Number(
  process.env.E2E_WEBHOOK_RECEIVER_PORT ?? E2E_PORT + 1,
);
export const E2E_WEBHOOK_RECEIVER_URL = `http://127.0.0.1:${E2E_WEBHOOK_RECEIVER_PORT}/hooks`;

/** A PostgreSQL server the run may create databases on (trust auth on CI and dev machines). */
export const E2E_SERVER_URL =
  process.env.E2E_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/';
export const E2E_DATABASE_NAME = process.env.E2E_DATABASE_NAME ?? 'ct_e2e';

// A fixed secret is fine for a throwaway database and a server on localhost.
export const E2E_NEXTAUTH_SECRET = 'e2e-only-secret-not-used-anywhere-else';

export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;

  return url.toString();
}

/** Where global setup leaves the seeded partner's plain API key for the tests. */
export const E2E_API_KEY_ENV = 'E2E_PARTNER_API_KEY';

export function e2eApiKey(): string {
  const key = process.env[E2E_API_KEY_ENV];
  if (!key) throw new Error(`${E2E_API_KEY_ENV} is not set: global setup seeds it`);

  return key;
}
