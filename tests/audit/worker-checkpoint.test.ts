import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../server/db/client';
import { generateSigningKey } from '../../server/domain/audit/signing-key';
import { verifyAuditLog } from '../../server/domain/audit/verify';
import { writeAudit } from '../../server/domain/audit/write-audit';
import { startWorker } from '../../server/jobs/worker';
import { createMigratedDatabase, dropDatabase } from '../setup/test-database';

// The worker seals the audit log every minute (its crontab) and once more when it stops.

const adminUrl = process.env.CT_ADMIN_DATABASE_URL!;
const key = generateSigningKey();
const savedKey = process.env.AUDIT_SIGNING_KEY;
let url: string;
let db: Db;

beforeAll(async () => {
  url = await createMigratedDatabase(adminUrl, 'ct_test_audit_worker');
  db = createPrisma(url, 4);
  process.env.AUDIT_SIGNING_KEY = key.privateKey
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();
});
afterAll(async () => {
  if (savedKey === undefined) delete process.env.AUDIT_SIGNING_KEY;
  else process.env.AUDIT_SIGNING_KEY = savedKey;
  await db.$disconnect();
  await dropDatabase(adminUrl, url);
});

describe('the worker and audit checkpoints', () => {
  it('keeps the checkpoint in its crontab and seals what was written when it stops', async () => {
    const worker = await startWorker(url, 2);
    await db.$transaction((tx) =>
      writeAudit(tx, {
        entityType: 'Exception',
        entityId: 'e-1',
        action: 'exception.opened',
        actor: { type: 'SYSTEM', id: null },
      }),
    );
    const crontabs = await db.$queryRaw<{ identifier: string }[]>`
      SELECT identifier FROM graphile_worker._private_known_crontabs`;

    await worker.stop();

    expect(crontabs.map((c) => c.identifier)).toContain('audit_checkpoint');
    const result = await verifyAuditLog(db, new Map([[key.keyId, key.publicKey]]));
    expect(result.problems).toEqual([]);
    expect(result.seals).toMatchObject({ checkpoints: 1, unsealedRows: 0 });
  });

  it('stops once when asked twice, as by a second signal during shutdown', async () => {
    const worker = await startWorker(url, 2);

    await expect(Promise.all([worker.stop(), worker.stop()])).resolves.toEqual([
      undefined,
      undefined,
    ]);
    await expect(worker.stop()).resolves.toBeUndefined();
  });
});
