import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { createPrisma } from '../server/db/client';
import { createSubscription } from '../server/domain/integration/webhooks/subscriptions';
import { ERP_RECORD_TOPIC } from '../server/domain/integration/webhooks/catalog';
import { enqueueMany } from '../server/jobs/enqueue';
import { startWorker } from '../server/jobs/worker';
import { startReceiver } from '../tests/webhooks/receiver';
import { benchDatabase } from './lib/setup';

// `npx tsx bench/webhooks.ts`: outbound webhook throughput on a fresh database (an embedded
// PostgreSQL of its own, or BENCH_DATABASE_URL's server). BENCH_MESSAGES outbox messages (1,000)
// are written at once with their deliver_outbox jobs, for BENCH_SUBSCRIPTIONS subscriptions (2)
// to a local HTTP receiver that verifies every signature; one worker with the product's
// concurrency (4) fans them out and delivers them. Figures: wall time to the last delivery,
// deliveries per second, message-to-delivery latency, and that each delivery id arrived once
// and signed. The receiver shares this process and its 2 cores with the worker. Bounded: gives
// up after 120 s. Printed as lines and, last, as one JSON line.

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1000);
const SUBSCRIPTIONS = Number(process.env.BENCH_SUBSCRIPTIONS ?? 2);
const CONCURRENCY = 4;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function main(): Promise<number> {
  const database = await benchDatabase();
  const db = createPrisma(database.url, 4);
  const receiver = await startReceiver();
  const worker = await startWorker(database.url, CONCURRENCY);
  try {
    const partner = await db.partner.create({
      data: { code: 'ERP-BENCH', name: 'ERP', kind: 'ERP' },
    });
    for (let i = 0; i < SUBSCRIPTIONS; i += 1) {
      const s = await createSubscription(
        db,
        { userId: randomUUID(), requestId: null },
        {
          partnerId: partner.id,
          name: `bench ${i}`,
          url: receiver.url,
          topics: [ERP_RECORD_TOPIC],
          maxAttempts: 10,
          timeoutMs: 10_000,
        },
      );
      receiver.secrets.push(s.secret);
    }
    const ids = Array.from({ length: MESSAGES }, () => randomUUID());
    const started = performance.now();
    await db.$transaction(async (tx) => {
      await tx.outboxMessage.createMany({
        data: ids.map((id, n) => ({
          id,
          topic: ERP_RECORD_TOPIC,
          aggregateId: randomUUID(),
          payload: { sequence: 1, n, shipment: { ref: `SH-${n}`, status: 'READY' } },
        })),
      });
      await enqueueMany(
        tx,
        'deliver_outbox',
        ids.map((id) => ({ payload: { id }, jobKey: `deliver_outbox:${id}` })),
        12,
      );
    });
    const expected = MESSAGES * SUBSCRIPTIONS;
    const deadline = Date.now() + 120_000;
    while (receiver.applied.size < expected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const wallMs = Math.round(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const rows = await db.$queryRaw<{ ms: number }[]>`
      SELECT extract(epoch FROM (d.delivered_at - m.created_at)) * 1000 AS ms
      FROM webhook_deliveries d JOIN outbox_messages m ON m.id = d.message_id
      WHERE d.status = 'DELIVERED'`;
    const latencies = rows.map((r) => Number(r.ms)).sort((a, b) => a - b);
    const posts = (await db.webhookAttempt.findMany({ select: { latencyMs: true } }))
      .map((a) => a.latencyMs)
      .sort((a, b) => a - b);
    const repeats = [...receiver.repeats.values()].reduce((a, b) => a + b, 0);
    const unsigned = receiver.received.filter((r) => !r.signatureValid).length;
    const figures = {
      bench: 'webhooks',
      messages: MESSAGES,
      subscriptions: SUBSCRIPTIONS,
      concurrency: CONCURRENCY,
      delivered: latencies.length,
      applied: receiver.applied.size,
      repeats,
      badSignatures: unsigned,
      wallMs,
      deliveriesPerSecond: Math.round((receiver.applied.size / wallMs) * 1000),
      latencyP50Ms: Math.round(percentile(latencies, 50)),
      latencyP99Ms: Math.round(percentile(latencies, 99)),
      latencyMaxMs: Math.round(latencies.at(-1) ?? 0),
      postP50Ms: percentile(posts, 50),
      postP99Ms: percentile(posts, 99),
      loadAverage: os.loadavg()[0]!.toFixed(1),
    };
    const pass = figures.applied === expected && repeats === 0 && unsigned === 0;
    const lines = [
      `${MESSAGES} outbox messages x ${SUBSCRIPTIONS} subscriptions, worker concurrency ${CONCURRENCY}`,
      `delivered ${figures.delivered}/${expected} in ${wallMs} ms: ${figures.deliveriesPerSecond} deliveries/s`,
      `message to delivery: p50 ${figures.latencyP50Ms} ms, p99 ${figures.latencyP99Ms} ms, max ${figures.latencyMaxMs} ms`,
      `HTTP POST alone: p50 ${figures.postP50Ms} ms, p99 ${figures.postP99Ms} ms; 1-min load average ${figures.loadAverage}`,
      `repeats seen by the receiver ${repeats}, bad signatures ${unsigned}: ${pass ? 'ok' : 'NOT ok'}`,
    ];
    for (const line of lines) process.stdout.write(`${line}\n`);
    process.stdout.write(`${JSON.stringify({ ...figures, pass })}\n`);

    return pass ? 0 : 1;
  } finally {
    await worker.stop();
    await receiver.close();
    await db.$disconnect();
    await database.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench/webhooks: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
