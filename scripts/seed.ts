import path from 'node:path';
import { createPrisma } from '../server/db/client';
import { logger } from '../server/lib/logger';
import { DEMO_PASSWORD, HEADLINE_TABLES, seedDemoWorld } from '../server/seed';

// `npm run seed`: the demo world into the database at DATABASE_URL, once. A database that
// already holds it is left as it is (the simulator's key file is re-issued if it went missing).

const log = logger('seed');

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    // A usage error: one plain line, without the logger's framing.
    process.stderr.write(
      'seed: DATABASE_URL is not set; run DATABASE_URL=postgresql://... npm run seed\n',
    );

    return 1;
  }
  const db = createPrisma(url, 4);
  try {
    const summary = await seedDemoWorld(db, { dataDir: path.join(process.cwd(), '.data') });
    const counts = Object.fromEntries(HEADLINE_TABLES.map((t) => [t, summary.counts[t] ?? 0]));
    const logins = summary.demoUsers.map((u) => `${u.email} (${u.role})`);
    // seedDemoWorld has logged its time per part; this is the short summary.
    log.info(
      {
        created: summary.created,
        seededAt: summary.seededAt,
        counts,
        apiKeyFile: summary.apiKeyFile,
      },
      summary.created
        ? 'summary of the new demo world'
        : 'demo world already present; nothing added',
    );
    log.info(
      { logins, password: DEMO_PASSWORD, overCredit: summary.overCreditCustomers },
      'demo logins',
    );

    return 0;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log.error({ err: error }, 'seeding failed');
    process.exit(1);
  },
);
