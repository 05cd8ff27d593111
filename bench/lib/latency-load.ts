import { randomUUID } from 'node:crypto';
import type pg from 'pg';

import type { Db } from '../../server/db/client';
import { EventType } from '../../server/db/generated/enums';
import { parseEvent } from '../../server/domain/events/schema';
import { recordEvents } from '../../server/domain/intake/record-events';
import { createPartner } from '../../tests/fixtures/partner';
import { createWorld, type World } from '../../tests/fixtures/world';
import { at, pick, release, stage } from '../../tests/main-flow/flow-helpers';

// The decision-latency bench's traffic: worlds for the readiness gate, orders released and
// picked ahead of the timed run, and PACKED_STAGED events sent at a steady rate through the real
// intake service, each batch's commit seen on the database clock.

const RELEASE_MINUTE = 480;
const PICK_MINUTE = 540;
/** Day 0 at 10:00, before the world's 16:00 cut-off: a complete shipment passes the gate. */
export const STAGE_MINUTE = 600;
const PREPARE_ORDERS_PER_BATCH = 250;
/**
 * Doors and slot length that give one world about 9,000 dock slots over the three departures
 * slotting looks at (10:00 to 18:00 on day 0, then whole days): more than a run stages.
 */
const DOCK_DOORS = 32;
const SLOT_MINUTES = 5;

export interface Order {
  world: World;
  ref: string;
}

export interface Sender {
  db: Db;
  partnerId: string;
  siteCodes: Set<string>;
  /** The intake's `now`: day 1 of the worlds, so that day-0 event times are not "in the future". */
  now: Date;
}

/** `customers` worlds (one customer, site and route each) and one partner that sends for all. */
export async function createSender(
  db: Db,
  customers: number,
): Promise<Sender & { worlds: World[] }> {
  const worlds: World[] = [];
  for (let i = 0; i < customers; i += 1) {
    worlds.push(
      await createWorld(db, {
        // The run stages thousands of shipments for one customer: credit must not be what fails.
        creditLimit: '9999999999',
        vehicles: [{ maxWeightKg: '100000000', maxVolumeM3: '1000000' }],
        dockDoors: DOCK_DOORS,
      }),
    );
  }
  // Room at the docks for every shipment of the run, so that slotting books (its steady state)
  // rather than opening a dispatch exception for each shipment past the doors' day.
  await db.setting.upsert({
    where: { key: 'dispatch.slotting' },
    create: { key: 'dispatch.slotting', value: { slotMinutes: SLOT_MINUTES } },
    update: { value: { slotMinutes: SLOT_MINUTES } },
  });
  const partner = await createPartner(db);

  return {
    db,
    worlds,
    partnerId: partner.id,
    siteCodes: new Set(worlds.map((w) => w.siteCode)),
    now: new Date(at(worlds[0]!, 24 * 60)),
  };
}

/** Orders spread round-robin over the worlds, with references unique to this run. */
export function ordersFor(worlds: World[], count: number, prefix: string): Order[] {
  return Array.from({ length: count }, (_, i) => {
    const world = worlds[i % worlds.length]!;

    return { world, ref: `${prefix}-${world.suffix}-${i + 1}` };
  });
}

export async function record(sender: Sender, raws: object[]): Promise<void> {
  const results = raws.map((raw) => parseEvent(raw, { now: sender.now }));
  const actor = {
    partnerId: sender.partnerId,
    siteCodes: sender.siteCodes,
    eventTypes: new Set(Object.values(EventType)),
  };
  const answers = await recordEvents(sender.db, actor, results, {
    source: 'API',
    requestId: randomUUID(),
  });
  const refused = answers.find((a) => a.status !== 'accepted');
  if (refused) throw new Error(`intake refused ${refused.eventId}: ${JSON.stringify(refused)}`);
}

/** Every order staged through the intake, in batches of 50. */
export async function stageAll(sender: Sender, orders: Order[]): Promise<void> {
  for (let i = 0; i < orders.length; i += 50) {
    await record(
      sender,
      orders.slice(i, i + 50).map((o) => stage(o.world, o.ref, STAGE_MINUTE)),
    );
  }
}

/** Every order released and picked through the intake (one apply job per order). */
export async function releaseAndPick(sender: Sender, orders: Order[]): Promise<void> {
  for (let i = 0; i < orders.length; i += PREPARE_ORDERS_PER_BATCH) {
    const chunk = orders.slice(i, i + PREPARE_ORDERS_PER_BATCH);
    await record(
      sender,
      chunk.flatMap((o) => [
        release(o.world, o.ref, RELEASE_MINUTE),
        pick(o.world, o.ref, PICK_MINUTE),
      ]),
    );
  }
}

/** Until no job is due or running (a job left failed, or waiting out a backoff, is not). */
export async function waitForQueue(
  pool: pg.Pool,
  timeoutMs: number,
  task: string | null = null,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM graphile_worker.jobs
       WHERE attempts < max_attempts AND run_at <= now()
         AND ($1::text IS NULL OR task_identifier = $1)`,
      [task],
    );
    if ((rows[0]?.n ?? 0) === 0) return Date.now() - started;
    if (Date.now() - started > timeoutMs) {
      throw new Error(`${rows[0]?.n} jobs still queued after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The database clock, in epoch milliseconds (microsecond precision). */
export async function dbNowMs(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ t: number }>(
    'SELECT extract(epoch FROM clock_timestamp())::float8 * 1000 AS t',
  );

  return rows[0]!.t;
}

export interface StageBatches {
  /** eventId -> database clock right after recordEvents returned (upper bound of the commit). */
  seenAt: Map<string, number>;
  /** Wall time of each recordEvents call, ms. */
  intakeMs: number[];
}

export function stageEventId(order: Order): string {
  return stage(order.world, order.ref, STAGE_MINUTE).eventId;
}

/** A batch sender for the paced loop: the orders' PACKED_STAGED events, one intake call each. */
export function stageSender(sender: Sender, clock: pg.Pool, orders: Order[]) {
  const out: StageBatches = { seenAt: new Map(), intakeMs: [] };
  const send = async (from: number, count: number) => {
    const batch = orders.slice(from, from + count).map((o) => stage(o.world, o.ref, STAGE_MINUTE));
    const t0 = performance.now();
    await record(sender, batch);
    out.intakeMs.push(performance.now() - t0);
    const seen = await dbNowMs(clock);
    for (const event of batch) out.seenAt.set(event.eventId, seen);
  };

  return { send, out };
}
