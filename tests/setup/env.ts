import { inject } from 'vitest';

// Test files see the run's own database as DATABASE_URL (never the server's default database).
process.env.DATABASE_URL = inject('testDatabaseUrl');
process.env.CT_ADMIN_DATABASE_URL = inject('adminDatabaseUrl');
