import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../server/db/client';
import { auditHash } from '../../server/domain/audit/audit-hash';
import { createCheckpoint } from '../../server/domain/audit/checkpoint';
import { checkpointMessage } from '../../server/domain/audit/seal';
import {
  generateSigningKey,
  signMessage,
  type SigningKey,
} from '../../server/domain/audit/signing-key';
import { describeProblem, verifyAuditLog } from '../../server/domain/audit/verify';
import { writeAudit } from '../../server/domain/audit/write-audit';
import { createMigratedDatabase, dropDatabase } from '../setup/test-database';

// The audit log against hand-made tampering: rows written through writeAudit, sealed by a
// checkpoint, then edited, deleted or forged with plain SQL, as someone with database access
// would; each is found and named. A database of its own, emptied before each test.

const adminUrl = process.env.CT_ADMIN_DATABASE_URL!;
let url: string;
let db: Db;
const key = generateSigningKey();
const trusted = new Map([[key.keyId, key.publicKey]]);

beforeAll(async () => {
  url = await createMigratedDatabase(adminUrl, 'ct_test_audit');
  db = createPrisma(url, 6);
});
afterAll(async () => {
  await db.$disconnect();
  await dropDatabase(adminUrl, url);
});
beforeEach(async () => {
  await db.$executeRaw`TRUNCATE audit_log, audit_checkpoints RESTART IDENTITY`;
});

async function write(entityId: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    await db.$transaction((tx) =>
      writeAudit(tx, {
        entityType: 'Shipment',
        entityId,
        action: 'shipment.updated',
        actor: { type: 'USER', id: 'u-1' },
        data: { step: i, qty: 10 + i },
      }),
    );
  }
}

/** Three shipments of four rows each (ids 1-12, shipment s-1 first), sealed. */
async function sealedLog(signer: SigningKey = key) {
  for (const id of ['s-1', 's-2', 's-3']) await write(id, 4);

  return createCheckpoint(db, signer);
}

async function findings() {
  const result = await verifyAuditLog(db, trusted);

  return { ...result, lines: result.problems.map(describeProblem) };
}

async function rowId(entityId: string, seq: number): Promise<bigint> {
  const row = await db.auditLog.findFirstOrThrow({ where: { entityId, seq } });

  return row.id;
}

describe('audit:verify', () => {
  it('finds an untouched log sound and says how far it is sealed', async () => {
    const checkpoint = await sealedLog();
    await write('s-4', 2);

    const result = await findings();

    expect(result.problems).toEqual([]);
    expect(result.sound).toBe(true);
    expect(checkpoint).toMatchObject({ sealedThroughId: 12n, entityCount: 3 });
    expect(result.seals).toMatchObject({ checkpoints: 1, unsealedRows: 2 });
    expect(result.seals.last?.sealedThroughId).toBe(12n);
    expect(result.chains).toEqual({ rows: 14, entities: 4 });
  });

  it('seals a backlog a slice per round, each slice verifying on its own', async () => {
    for (const id of ['s-1', 's-2', 's-3']) await write(id, 4);

    const rounds = [];
    for (let i = 0; i < 4; i++) rounds.push(await createCheckpoint(db, key, { maxRows: 5 }));

    expect(rounds.map((r) => r?.sealedThroughId ?? null)).toEqual([5n, 10n, 12n, null]);
    const result = await findings();
    expect(result.problems).toEqual([]);
    expect(result.seals).toMatchObject({ checkpoints: 3, unsealedRows: 0 });
  });

  it('names a row whose data was edited', async () => {
    await sealedLog();
    const id = await rowId('s-2', 3);
    await db.$executeRaw`UPDATE audit_log SET data = '{"step": 2, "qty": 99}' WHERE id = ${id}`;

    const result = await findings();

    expect(result.sound).toBe(false);
    expect(result.problems).toEqual([
      { kind: 'edited', entityType: 'Shipment', entityId: 's-2', seq: 3, id },
    ]);
    expect(result.lines[0]).toBe(
      `edited row: Shipment s-2 seq 3 (id ${id}) no longer matches its hash`,
    );
  });

  it('names a deleted middle row, and the checkpoint whose rows changed', async () => {
    await sealedLog();
    await db.$executeRaw`DELETE FROM audit_log WHERE entity_id = 's-1' AND seq = 2`;

    const result = await findings();

    expect(result.problems).toEqual([
      { kind: 'deleted', entityType: 'Shipment', entityId: 's-1', fromSeq: 2, toSeq: 2 },
      expect.objectContaining({ kind: 'seal-mismatch', afterId: 0n, throughId: 12n }),
    ]);
    expect(result.lines[0]).toBe('deleted row: Shipment s-1 seq 2 is missing');
  });

  it('names a forged row whose hash is made up', async () => {
    await sealedLog();
    await db.$executeRaw`
      INSERT INTO audit_log (entity_type, entity_id, seq, action, actor_type, data, at, prev_hash, hash)
      SELECT entity_type, entity_id, 5, 'shipment.released', actor_type, data, at,
             repeat('0', 64), hash
      FROM audit_log WHERE entity_id = 's-3' AND seq = 4`;
    const forged = await rowId('s-3', 5);

    const result = await findings();

    expect(result.problems).toEqual([
      expect.objectContaining({ kind: 'edited', entityId: 's-3', seq: 5, id: forged }),
    ]);
  });

  it('names a forged row with a valid hash but a broken link', async () => {
    await sealedLog();
    const at = new Date('2026-12-04T00:00:00.000Z');
    const content = {
      entityType: 'Shipment',
      entityId: 's-3',
      seq: 5,
      action: 'shipment.released',
      actorType: 'USER' as const,
      actorId: 'intruder',
      requestId: null,
      data: null,
      at,
    };
    const prevHash = 'f'.repeat(64);
    const hash = auditHash(prevHash, content);
    await db.$executeRaw`
      INSERT INTO audit_log (entity_type, entity_id, seq, action, actor_type, actor_id, at, prev_hash, hash)
      VALUES ('Shipment', 's-3', 5, 'shipment.released', 'USER', 'intruder', ${at}, ${prevHash}, ${hash})`;

    const result = await findings();

    expect(result.problems).toEqual([
      expect.objectContaining({ kind: 'inserted', entityId: 's-3', seq: 5, reason: 'prev-hash' }),
    ]);
    expect(result.lines[0]).toMatch(/^inserted row: Shipment s-3 seq 5 .* does not follow seq 4/);
  });

  it('names a tail cut off below the last checkpoint', async () => {
    const checkpoint = await sealedLog();
    await db.$executeRaw`DELETE FROM audit_log WHERE id > 10`;

    const result = await findings();

    expect(result.problems).toEqual([
      { kind: 'tail-cut', checkpointId: checkpoint!.id, sealedThroughId: 12n, lastId: 10n },
    ]);
    expect(result.lines[0]).toMatch(/^tail cut off: checkpoint 1 seals through id 12/);
  });

  it('finds a row re-hashed by someone who knows the algorithm: its checkpoint no longer matches', async () => {
    await sealedLog();
    // Rewrite s-3's last row consistently (no later row links to it): only the seal can tell.
    const row = await db.auditLog.findFirstOrThrow({ where: { entityId: 's-3', seq: 4 } });
    const data = { step: 3, qty: 1 };
    const hash = auditHash(row.prevHash, { ...row, data });
    await db.$executeRaw`UPDATE audit_log SET data = ${data}::jsonb, hash = ${hash} WHERE id = ${row.id}`;

    const result = await findings();

    expect(result.problems).toEqual([expect.objectContaining({ kind: 'seal-mismatch' })]);
  });

  it('names a row inserted into an id left free by a rolled-back write: only the seal sees it', async () => {
    await write('s-1', 2);
    await db
      .$transaction(async (tx) => {
        await writeAudit(tx, {
          entityType: 'Shipment',
          entityId: 's-9',
          action: 'shipment.updated',
          actor: { type: 'USER', id: 'u-1' },
        });
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    await write('s-1', 2);
    await createCheckpoint(db, key);
    // A chain of its own, seq 1, hashed right: the chain pass has nothing to say about it.
    const at = new Date();
    const content = {
      entityType: 'Shipment',
      entityId: 's-forged',
      seq: 1,
      action: 'shipment.released',
      actorType: 'USER' as const,
      actorId: 'intruder',
      requestId: null,
      data: null,
      at,
    };
    await db.$executeRaw`
      INSERT INTO audit_log (id, entity_type, entity_id, seq, action, actor_type, actor_id, at, hash)
      VALUES (3, 'Shipment', 's-forged', 1, 'shipment.released', 'USER', 'intruder', ${at},
              ${auditHash(null, content)})`;

    const result = await findings();

    expect(result.problems).toEqual([
      expect.objectContaining({ kind: 'seal-mismatch', afterId: 0n, throughId: 5n }),
    ]);
  });

  it('still checks a checkpoint sealed row by row before the set-based seal (message v1)', async () => {
    for (const id of ['s-1', 's-2']) await write(id, 2);
    const rows = await db.auditLog.findMany({ orderBy: { id: 'asc' } });
    let root = '';
    for (const r of rows) {
      root = createHash('sha256')
        .update(`${root}|${r.id}|${r.entityType}|${r.entityId}|${r.seq}|${r.hash}`)
        .digest('hex');
    }
    const claim = {
      sealedThroughId: 4n,
      entityCount: 2,
      rootHash: root,
      keyId: key.keyId,
      createdAt: new Date(),
    };
    const signature = signMessage(key, checkpointMessage(claim, 1));
    await db.auditCheckpoint.create({ data: { ...claim, signature } });
    await write('s-3', 1);
    await createCheckpoint(db, key);

    expect((await findings()).problems).toEqual([]);
    await db.$executeRaw`UPDATE audit_log SET data = '{"step": 0, "qty": 1}', hash = ${'0'.repeat(64)}
      WHERE id = 4`;
    expect((await findings()).problems).toEqual([
      expect.objectContaining({ kind: 'edited', id: 4n }),
      expect.objectContaining({ kind: 'seal-mismatch', checkpointId: 1n, throughId: 4n }),
    ]);
  });

  it('rejects a checkpoint signed with another key, and a signature that does not verify', async () => {
    await sealedLog(generateSigningKey());
    await write('s-5', 1);
    const second = await createCheckpoint(db, key);
    await db.$executeRaw`UPDATE audit_checkpoints SET signature = (
        SELECT signature FROM audit_checkpoints WHERE id = 1) WHERE id = ${second!.id}`;

    const result = await findings();

    expect(result.problems).toEqual([
      expect.objectContaining({ kind: 'bad-signature', checkpointId: 1n, reason: 'unknown-key' }),
      expect.objectContaining({ kind: 'bad-signature', checkpointId: 2n, reason: 'invalid' }),
    ]);
  });
});
