import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../server/db/client';
import { createCheckpoint } from '../../server/domain/audit/checkpoint';
import { generateSigningKey } from '../../server/domain/audit/signing-key';
import { verifyAuditLog } from '../../server/domain/audit/verify';
import { writeAudit, type AuditEntry } from '../../server/domain/audit/write-audit';
import { createMigratedDatabase, dropDatabase } from '../setup/test-database';

// Writers of different entities never wait on one another, and a checkpoint never seals past a
// row that a transaction still in flight may yet commit below it.

const adminUrl = process.env.CT_ADMIN_DATABASE_URL!;
let url: string;
let db: Db;
const key = generateSigningKey();

beforeAll(async () => {
  url = await createMigratedDatabase(adminUrl, 'ct_test_audit_conc');
  db = createPrisma(url, 6);
});
afterAll(async () => {
  await db.$disconnect();
  await dropDatabase(adminUrl, url);
});

const entry = (entityId: string): AuditEntry => ({
  entityType: 'Shipment',
  entityId,
  action: 'shipment.updated',
  actor: { type: 'SYSTEM', id: null },
});

/** A transaction that has written its audit row and holds until released. */
function holdingWriter(entityId: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let wrote!: () => void;
  const written = new Promise<void>((resolve) => (wrote = resolve));
  const done = db.$transaction(
    async (tx) => {
      await writeAudit(tx, entry(entityId));
      wrote();
      await released;
    },
    { timeout: 20_000 },
  );

  return { written, release, done };
}

describe('audit writers and checkpoints', () => {
  it('lets two transactions on different entities hold their locks at once', async () => {
    const first = holdingWriter('c-1');
    const second = holdingWriter('c-2');

    // Both wrote while the other still holds its lock; a shared lock would time this out.
    await Promise.all([first.written, second.written]);
    first.release();
    second.release();
    await Promise.all([first.done, second.done]);

    expect(await db.auditLog.count({ where: { entityId: { in: ['c-1', 'c-2'] } } })).toBe(2);
  });

  it('makes a second writer of the same entity wait for the first', async () => {
    const first = holdingWriter('c-3');
    await first.written;
    let secondDone = false;
    const second = db
      .$transaction((tx) => writeAudit(tx, entry('c-3')))
      .then((r) => ((secondDone = true), r));
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(secondDone).toBe(false);
    first.release();
    await first.done;
    expect((await second).seq).toBe(2);
  });

  it('does not seal past a row still in flight, and seals it once committed', async () => {
    const before = await createCheckpoint(db, key);
    const inFlight = holdingWriter('c-4');
    await inFlight.written;
    await db.$transaction((tx) => writeAudit(tx, entry('c-5')));

    expect(await createCheckpoint(db, key, { settleMs: 300 })).toBeNull();
    inFlight.release();
    await inFlight.done;
    const sealed = await createCheckpoint(db, key);

    expect(sealed!.sealedThroughId).toBe((before?.sealedThroughId ?? 0n) + 2n);
    const result = await verifyAuditLog(db, new Map([[key.keyId, key.publicKey]]));
    expect(result.problems).toEqual([]);
    expect(result.seals.unsealedRows).toBe(0);
  });
});
