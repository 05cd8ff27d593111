import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../server/db/client';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../server/db/embedded';
import { migrate } from '../../server/db/migrate';
import { deliverOutbox } from '../../server/domain/integration/deliver-outbox';
import { ERP_RECORD_TOPIC } from '../../server/domain/integration/publish-shipment-record';
import { createSubscription } from '../../server/domain/integration/webhooks/subscriptions';
import { prepareQueue } from '../../server/jobs/worker';
import { allowWebhookReceiver } from '../webhooks/receiver';

// A database crash right after the outbox dispatched a message must not lose what a receiver
// may already have been sent: the delivery rows and their jobs. The moment a dispatch commits,
// the worker can pick up the delivery job and POST it, so the dispatch has to be on disk at
// that moment; an asynchronous commit is visible to the worker before its WAL is written, and a
// crash then loses the delivery whose webhook-id the receiver already holds. The server here is
// a real PostgreSQL of the test's own, frozen and killed with SIGKILL (no shutdown, no flush),
// then started again on the same data directory, which replays its WAL.

let dataDir = '';
let port = 0;
let server: EmbeddedServer | null = null;

function postmasterPid(): number {
  return Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/** The postmaster and its children: every process of the server. */
function serverPids(): number[] {
  const root = postmasterPid();
  const children = fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');

        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === root;
      } catch {
        return false;
      }
    })
    .map(Number);

  return [root, ...children];
}

/** A crash: every process frozen first (nobody writes WAL any more), then killed. */
async function crash(): Promise<void> {
  const pids = serverPids();
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  const alive = (pid: number) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');

      return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
    } catch {
      return false;
    }
  };
  const until = Date.now() + 10_000;
  while (pids.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  server = null;
}

async function start(): Promise<EmbeddedServer> {
  server = await startEmbeddedPostgres({ dataDir, port, database: 'ct_crash' });

  return server;
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-crash-test-'));
  port = 55000 + Math.floor(Math.random() * 4000);
  const first = await start();
  await migrate(first.url);
  await prepareQueue(first.url);
  // The WAL writer would otherwise flush an asynchronous commit within 200 ms; at ten seconds
  // the crash below always lands inside the window such a commit leaves open.
  const admin = createPrisma(first.adminUrl, 1);
  await admin.$executeRawUnsafe(`ALTER SYSTEM SET wal_writer_delay = '10s'`);
  await admin.$executeRawUnsafe(`SELECT pg_reload_conf()`);
  await admin.$disconnect();
}, 120_000);

afterAll(async () => {
  await server?.stop().catch(() => undefined);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the outbox dispatch across a database crash', () => {
  it('keeps every delivery (and its job) that was dispatched before the crash', async () => {
    let db: Db = createPrisma(server!.url, 2);
    allowWebhookReceiver('http://127.0.0.1:9/never-called');
    const partner = await db.partner.create({
      data: { code: `ERP-${randomUUID().slice(0, 6)}`, name: 'ERP', kind: 'ERP' },
    });
    await createSubscription(
      db,
      { userId: randomUUID(), requestId: 'test' },
      {
        partnerId: partner.id,
        name: 'ERP',
        url: 'http://127.0.0.1:9/never-called',
        topics: [ERP_RECORD_TOPIC],
        maxAttempts: 3,
        timeoutMs: 1_000,
      },
    );
    const messageId = randomUUID();
    await db.outboxMessage.create({
      data: { id: messageId, topic: ERP_RECORD_TOPIC, aggregateId: randomUUID(), payload: {} },
    });

    const outcome = await deliverOutbox(db, messageId);
    expect(outcome).toMatchObject({ status: 'dispatched', deliveries: 1, queued: 1 });
    await crash();
    await db.$disconnect().catch(() => undefined);

    db = createPrisma((await start()).url, 2);
    try {
      const deliveries = await db.webhookDelivery.findMany({ where: { messageId } });
      expect(deliveries).toHaveLength(1);
      const jobs = await db.$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM graphile_worker.jobs
        WHERE key = ${`deliver_webhook:${deliveries[0]!.id}`}`;
      expect(Number(jobs[0]!.n)).toBe(1);
      const message = await db.outboxMessage.findUniqueOrThrow({ where: { id: messageId } });
      expect(message.deliveredAt).not.toBeNull();
    } finally {
      await db.$disconnect();
    }
  }, 120_000);
});
