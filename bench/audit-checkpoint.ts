import fs from 'node:fs';
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';

import { createPrisma, sqlPoolOf, type Db } from '../server/db/client';
import { auditHash } from '../server/domain/audit/audit-hash';
import { sealAuditLog } from '../server/domain/audit/checkpoint';
import { generateSigningKey } from '../server/domain/audit/signing-key';
import { verifyAuditLog } from '../server/domain/audit/verify';
import { verifyChains } from '../server/domain/audit/verify-chains';
import { verifySeals } from '../server/domain/audit/verify-seals';
import { benchDatabase } from './lib/setup';

// `npx tsx bench/audit-checkpoint.ts`: how fast audit checkpoints seal, on a fresh database
// (BENCH_DATABASE_URL's server, or an embedded PostgreSQL of its own). Bounded well under two
// minutes at the default sizes.
//  (a) BENCH_AUDIT_ROWS (200,000) audit rows written as event intake writes them (one row per
//      accepted event, its own chain, seq 1, in batches of 1,000), then sealed from scratch: one
//      round as the minute's cron job runs it (how much of the backlog it seals), then the rest;
//  (b) `audit:verify` over those rows;
//  (c) sustained: rows written at BENCH_AUDIT_RATE (10,000/s) for BENCH_AUDIT_SECONDS (15 s)
//      while checkpoints run back to back, and the unsealed backlog at the end.
// "db CPU" is the CPU of the PostgreSQL backends serving the bench database (Linux /proc), so
// that Node's and PostgreSQL's shares of a checkpoint can be told apart on a shared machine.

const ROWS = Number(process.env.BENCH_AUDIT_ROWS ?? 200_000);
const RATE = Number(process.env.BENCH_AUDIT_RATE ?? 10_000);
const SUSTAIN_SECONDS = Number(process.env.BENCH_AUDIT_SECONDS ?? 15);
const BATCH = 1000;
// As intake-statement.ts names them (not imported: the bench needs none of intake's modules).
const AUDIT_ENTITY = 'shipment_event';
const AUDIT_ACTION = 'event.recorded';
const TARGET_ROWS_PER_SECOND = 10_000;

const INSERT = `
  INSERT INTO audit_log (entity_type, entity_id, seq, action, actor_type, actor_id,
    request_id, data, at, prev_hash, hash)
  SELECT '${AUDIT_ENTITY}', i.id, 1, '${AUDIT_ACTION}', 'PARTNER', $2, NULL, i.data, $3, NULL, i.hash
  FROM jsonb_to_recordset($1::jsonb) AS i(id text, data jsonb, hash text)`;

/** One intake batch's audit rows: what intake-statement.ts writes per accepted event. */
async function writeBatch(pool: pg.Pool, partnerId: string, size: number): Promise<void> {
  const at = new Date();
  const rows = Array.from({ length: size }, (_, n) => {
    const id = randomUUID();
    const data = { eventId: `ev-${id.slice(0, 8)}-${n}`, type: 'PICKED', site: 'DC1' };
    const hash = auditHash(null, {
      entityType: AUDIT_ENTITY,
      entityId: id,
      seq: 1,
      action: AUDIT_ACTION,
      actorType: 'PARTNER',
      actorId: partnerId,
      requestId: null,
      data,
      at,
    });

    return { id, data, hash };
  });
  await pool.query(INSERT, [JSON.stringify(rows), partnerId, at]);
}

async function writeRows(pool: pg.Pool, partnerId: string, count: number): Promise<number> {
  const t0 = performance.now();
  let left = Math.ceil(count / BATCH);
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (left-- > 0) await writeBatch(pool, partnerId, BATCH);
    }),
  );

  return performance.now() - t0;
}

function ticksOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');

    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

async function backendPids(pool: pg.Pool): Promise<number[]> {
  const { rows } = await pool.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
  );

  return rows.map((r) => r.pid);
}

/**
 * CPU ms of the backends serving the bench database while `run` runs: sampled every 100 ms,
 * because the pool closes idle connections and their backends' CPU goes with them.
 */
async function dbCpuDuring<T>(pool: pg.Pool, run: () => Promise<T>): Promise<[T, number]> {
  const start = new Map<number, number>();
  const seen = new Map<number, number>();
  const sample = async () => {
    for (const pid of await backendPids(pool)) {
      const ticks = ticksOf(pid);
      if (ticks > 0) seen.set(pid, ticks);
    }
  };
  for (const pid of await backendPids(pool)) start.set(pid, ticksOf(pid));
  let running = true;
  const sampler = (async () => {
    while (running) {
      await sample();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const value = await run().finally(() => (running = false));
  await sampler;
  await sample();
  let ticks = 0;
  for (const [pid, last] of seen) ticks += last - (start.get(pid) ?? 0);

  return [value, ticks * 10];
}

interface Measured<T> {
  value: T;
  wallMs: number;
  nodeCpuMs: number;
  dbCpuMs: number;
}

async function measure<T>(pool: pg.Pool, run: () => Promise<T>): Promise<Measured<T>> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const [value, dbCpuMs] = await dbCpuDuring(pool, run);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);

  return { value, wallMs, nodeCpuMs: (cpu.user + cpu.system) / 1000, dbCpuMs };
}

/** One round, as the minute's cron job runs it: checkpoints made. */
async function oneRound(db: Db, key: ReturnType<typeof generateSigningKey>): Promise<number> {
  return (await sealAuditLog(db, key, { settleMs: 10_000 })).checkpoints;
}

/** Rounds, as the minute's cron job runs them, until one leaves nothing; checkpoints made. */
async function sealAll(db: Db, key: ReturnType<typeof generateSigningKey>): Promise<number> {
  let made = 0;
  for (;;) {
    const round = await sealAuditLog(db, key, { settleMs: 10_000 });
    made += round.checkpoints;
    if (round.caughtUp) return made;
  }
}

async function unsealed(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`
    SELECT count(*) AS n FROM audit_log
    WHERE id > coalesce((SELECT max(sealed_through_id) FROM audit_checkpoints), 0)`);

  return Number(rows[0]!.n);
}

function line(name: string, m: Measured<unknown>, rows: number): string {
  const perSecond = Math.round(rows / (m.wallMs / 1000));

  return (
    `${name}: ${rows} rows in ${Math.round(m.wallMs)} ms = ${perSecond} rows/s; ` +
    `node CPU ${Math.round(m.nodeCpuMs)} ms (${((m.nodeCpuMs * 1000) / rows).toFixed(1)} us/row), ` +
    `db CPU ${Math.round(m.dbCpuMs)} ms (${((m.dbCpuMs * 1000) / rows).toFixed(1)} us/row)`
  );
}

async function sustained(db: Db, pool: pg.Pool, key: ReturnType<typeof generateSigningKey>) {
  const partnerId = randomUUID();
  const until = Date.now() + SUSTAIN_SECONDS * 1000;
  let written = 0;
  let rounds = 0;
  const t0 = Date.now();
  const writer = (async () => {
    while (Date.now() < until) {
      await writeBatch(pool, partnerId, BATCH);
      written += BATCH;
      // Paced: a batch each BATCH/RATE seconds on average, as a steady intake would send them.
      const ahead = (written / RATE) * 1000 - (Date.now() - t0);
      if (ahead > 0) await new Promise((resolve) => setTimeout(resolve, ahead));
    }
  })();
  const sealer = (async () => {
    while (Date.now() < until) {
      await sealAll(db, key);
      rounds++;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  })();
  await Promise.all([writer, sealer]);
  const seconds = (Date.now() - t0) / 1000;

  return { written, rate: Math.round(written / seconds), rounds, backlog: await unsealed(pool) };
}

async function main(): Promise<void> {
  const database = await benchDatabase();
  const db = createPrisma(database.url, 6);
  const pool = sqlPoolOf(db)!;
  const key = generateSigningKey();
  const trusted = new Map([[key.keyId, key.publicKey]]);
  const out: Record<string, unknown> = { rows: ROWS, load: os.loadavg().map((l) => +l.toFixed(2)) };
  try {
    process.stdout.write(
      `uptime: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n`,
    );
    // Warm-up (connections, the modules' first calls): a batch written and sealed, not counted.
    await writeRows(pool, randomUUID(), BATCH);
    await sealAll(db, key);
    const writeMs = await writeRows(pool, randomUUID(), ROWS);
    process.stdout.write(`wrote ${ROWS} intake audit rows in ${Math.round(writeMs)} ms\n`);
    await pool.query('VACUUM ANALYZE audit_log');

    const round = await measure(pool, () => oneRound(db, key));
    const inRound = ROWS - (await unsealed(pool));
    process.stdout.write(
      `${line("one minute's round over the backlog", round, inRound)}; ${round.value} checkpoints, ` +
        `${ROWS - inRound} rows left for the next minute\n`,
    );
    const rest = await measure(pool, () => sealAll(db, key));
    const seal = {
      value: round.value + rest.value,
      wallMs: round.wallMs + rest.wallMs,
      nodeCpuMs: round.nodeCpuMs + rest.nodeCpuMs,
      dbCpuMs: round.dbCpuMs + rest.dbCpuMs,
    };
    process.stdout.write(`${line('seal from scratch', seal, ROWS)}; ${seal.value} checkpoints\n`);
    const target = seal.wallMs > 0 && ROWS / (seal.wallMs / 1000) >= TARGET_ROWS_PER_SECOND;
    process.stdout.write(
      `target >= ${TARGET_ROWS_PER_SECOND} rows/s sealed: ${target ? 'met' : 'NOT met'}\n`,
    );

    const chains = await measure(pool, () => verifyChains(db, () => undefined));
    process.stdout.write(`${line('  verify: chains pass', chains, ROWS)}\n`);
    const seals = await measure(pool, () => verifySeals(db, trusted, () => undefined));
    process.stdout.write(`${line('  verify: seals pass', seals, ROWS)}\n`);
    const verify = await measure(pool, () => verifyAuditLog(db, trusted));
    process.stdout.write(`${line('audit:verify', verify, ROWS)}; sound ${verify.value.sound}\n`);

    const steady = await sustained(db, pool, key);
    process.stdout.write(
      `sustained ${SUSTAIN_SECONDS} s at ${steady.rate} rows/s written: ${steady.rounds} ` +
        `sealing rounds, ${steady.backlog} rows unsealed at the end\n`,
    );
    process.stdout.write(
      `uptime: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n`,
    );
    Object.assign(out, {
      sealRowsPerSecond: Math.round(ROWS / (seal.wallMs / 1000)),
      sealNodeCpuUsPerRow: +((seal.nodeCpuMs * 1000) / ROWS).toFixed(2),
      sealDbCpuUsPerRow: +((seal.dbCpuMs * 1000) / ROWS).toFixed(2),
      checkpoints: seal.value,
      rowsSealedByOneRound: inRound,
      verifyRowsPerSecond: Math.round(ROWS / (verify.wallMs / 1000)),
      sustained: steady,
    });
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    await db.$disconnect();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
