import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../server/db/client';
import { auditHash } from '../../server/domain/audit/audit-hash';
import { sealAuditLog } from '../../server/domain/audit/checkpoint';
import { generateSigningKey } from '../../server/domain/audit/signing-key';
import { verifyAuditLog } from '../../server/domain/audit/verify';
import { writeAudit } from '../../server/domain/audit/write-audit';
import { createDatabase, createMigratedDatabase, dropDatabase } from '../setup/test-database';

// Sealing rounds (the minute's cron job, a worker's shutdown): a round seals every row settled
// when it starts, in as many checkpoints as they need; rows that commit out of id order are
// sealed once each, never skipped, whatever the interleaving with the rounds.

const adminUrl = process.env.CT_ADMIN_DATABASE_URL!;
let url: string;
let db: Db;
const key = generateSigningKey();
const trusted = new Map([[key.keyId, key.publicKey]]);

beforeAll(async () => {
  url = await createMigratedDatabase(adminUrl, 'ct_test_audit_rounds');
  db = createPrisma(url, 10);
});
afterAll(async () => {
  await db.$disconnect();
  await dropDatabase(adminUrl, url);
});
beforeEach(async () => {
  await db.$executeRaw`TRUNCATE audit_log, audit_checkpoints RESTART IDENTITY`;
});

/**
 * An audit row written as event intake writes it (a plain INSERT of its own chain, seq 1), by
 * a transaction that already has its id, as intake's statement does after its event insert;
 * committed when released.
 */
function intakeWriter(entityId: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let wrote!: (id: bigint) => void;
  const written = new Promise<bigint>((resolve) => (wrote = resolve));
  const at = new Date();
  const hash = auditHash(null, {
    entityType: 'shipment_event',
    entityId,
    seq: 1,
    action: 'event.recorded',
    actorType: 'PARTNER',
    actorId: null,
    requestId: null,
    data: null,
    at,
  });
  const done = db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT pg_current_xact_id()::text`;
      const [row] = await tx.$queryRaw<{ id: bigint }[]>`
        INSERT INTO audit_log (entity_type, entity_id, seq, action, actor_type, at, hash)
        VALUES ('shipment_event', ${entityId}, 1, 'event.recorded', 'PARTNER', ${at}, ${hash})
        RETURNING id`;
      wrote(row!.id);
      await released;
    },
    { timeout: 20_000 },
  );

  return { written, release, done };
}

async function write(entityId: string): Promise<void> {
  await db.$transaction((tx) =>
    writeAudit(tx, {
      entityType: 'Shipment',
      entityId,
      action: 'shipment.updated',
      actor: { type: 'SYSTEM', id: null },
    }),
  );
}

async function sealedRanges(): Promise<bigint[]> {
  const rows = await db.auditCheckpoint.findMany({ orderBy: { id: 'asc' } });

  return rows.map((r) => r.sealedThroughId);
}

describe('sealing rounds', () => {
  it('seals a backlog in one round, a checkpoint per maxRows rows', async () => {
    for (let i = 0; i < 12; i++) await write(`s-${i % 3}`);

    const round = await sealAuditLog(db, key, { maxRows: 5 });

    expect(round).toEqual({ checkpoints: 3, sealedThroughId: 12n, caughtUp: true });
    expect(await sealedRanges()).toEqual([5n, 10n, 12n]);
    expect(await sealAuditLog(db, key)).toEqual({
      checkpoints: 0,
      sealedThroughId: 12n,
      caughtUp: true,
    });
    const result = await verifyAuditLog(db, trusted);
    expect(result.problems).toEqual([]);
    expect(result.seals).toMatchObject({ checkpoints: 3, unsealedRows: 0 });
  });

  it('leaves the rest to the next round when its budget is spent', async () => {
    for (let i = 0; i < 4; i++) await write('s-1');

    expect(await sealAuditLog(db, key, { budgetMs: 0 })).toMatchObject({
      checkpoints: 0,
      caughtUp: false,
    });
    expect(await sealAuditLog(db, key)).toMatchObject({ checkpoints: 1, sealedThroughId: 4n });
  });

  it('does not seal past a lower id still in flight behind a committed higher one', async () => {
    await write('before');
    expect((await sealAuditLog(db, key)).sealedThroughId).toBe(1n);
    const early = intakeWriter('ev-early');
    const earlyId = await early.written;
    await write('late');

    // Id 3 is committed, id 2 is not: sealing through 3 now would leave 2 out of every root.
    const blocked = await sealAuditLog(db, key, { settleMs: 300 });
    expect(blocked).toEqual({ checkpoints: 0, sealedThroughId: 1n, caughtUp: false });
    early.release();
    await early.done;
    const round = await sealAuditLog(db, key);

    expect(earlyId).toBe(2n);
    expect(round).toEqual({ checkpoints: 1, sealedThroughId: 3n, caughtUp: true });
    const result = await verifyAuditLog(db, trusted);
    expect(result.problems).toEqual([]);
    expect(result.seals.unsealedRows).toBe(0);
  });

  it('waits for a lower id whose transaction is newer than the last one to commit', async () => {
    // The older transaction commits the higher id: the latest completed transaction is then
    // older than the one still holding the lower id, which a snapshot's xmax does not cover.
    let insert!: () => void;
    const inserting = new Promise<void>((resolve) => (insert = resolve));
    let began!: () => void;
    const begun = new Promise<void>((resolve) => (began = resolve));
    const older = db.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT pg_current_xact_id()::text`;
        began();
        await inserting;
        await writeAudit(tx, {
          entityType: 'Shipment',
          entityId: 'older',
          action: 'shipment.updated',
          actor: { type: 'SYSTEM', id: null },
        });
      },
      { timeout: 20_000 },
    );
    await begun;
    const newer = intakeWriter('ev-newer');
    expect(await newer.written).toBe(1n);
    insert();
    await older;

    expect(await sealAuditLog(db, key, { settleMs: 300 })).toMatchObject({ checkpoints: 0 });
    newer.release();
    await newer.done;
    expect(await sealAuditLog(db, key)).toMatchObject({ checkpoints: 1, sealedThroughId: 2n });
    expect((await verifyAuditLog(db, trusted)).problems).toEqual([]);
  });

  it('is not held back by a transaction left open in another database', async () => {
    const other = await createDatabase(adminUrl, 'ct_test_audit_other');
    const client = new pg.Client({ connectionString: other });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_current_xact_id()');
      await write('s-1');

      expect(await sealAuditLog(db, key, { settleMs: 1_000 })).toMatchObject({
        checkpoints: 1,
        sealedThroughId: 1n,
      });
    } finally {
      await client.end();
      await dropDatabase(adminUrl, other);
    }
  });

  it('seals every row exactly once while writers commit out of id order', async () => {
    const WRITERS = 4;
    const EACH = 15;
    let writing = true;
    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; i < EACH; i++) {
        const writer = intakeWriter(`ev-${w}-${i}`);
        await writer.written;
        // Held for a varying while, so that later ids commit before earlier ones.
        await new Promise((resolve) => setTimeout(resolve, ((w * 7 + i * 13) % 5) * 10));
        writer.release();
        await writer.done;
      }
    });
    const sealer = (async () => {
      let rounds = 0;
      while (writing) {
        await sealAuditLog(db, key, { settleMs: 1_000, maxRows: 7 });
        rounds++;
      }

      return rounds;
    })();
    await Promise.all(writers);
    writing = false;
    const rounds = await sealer;
    await sealAuditLog(db, key);

    const ranges = await sealedRanges();
    expect(rounds).toBeGreaterThan(1);
    expect(ranges.length).toBeGreaterThan(1);
    // Each checkpoint goes on from the last: no range sealed twice.
    expect([...ranges].sort((a, b) => (a < b ? -1 : 1))).toEqual(ranges);
    expect(new Set(ranges).size).toBe(ranges.length);
    expect(ranges.at(-1)).toBe(BigInt(WRITERS * EACH));
    // A row committed below a range already sealed would fail that range's root.
    const result = await verifyAuditLog(db, trusted);
    expect(result.problems).toEqual([]);
    expect(result.seals.unsealedRows).toBe(0);
  });
});
