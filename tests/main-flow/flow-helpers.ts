import { randomUUID } from 'node:crypto';
import { runOnce } from 'graphile-worker';
import { createPrisma, type Db } from '../../server/db/client';
import { EventType } from '../../server/db/generated/enums';
import { parseEvent } from '../../server/domain/events/schema';
import { recordEvents } from '../../server/domain/intake/record-events';
import { queueLogger } from '../../server/jobs/queue-logger';
import { createTaskList } from '../../server/jobs/tasks';
import { createPartner } from '../fixtures/partner';
import { createWorld, worldInstant, type World, type WorldOptions } from '../fixtures/world';
import { createMigratedDatabase, dropDatabase } from '../setup/test-database';

// Builds a shipment's canonical events in a test world and drives them through the real intake
// service and the real job queue (graphile-worker's runOnce over the product's task list).

export interface Flow {
  db: Db;
  url: string;
  world: World;
  partnerId: string;
}

/** A database of the file's own (it runs every due job in it), a world and a partner. */
export async function openFlow(prefix: string, world: WorldOptions = {}): Promise<Flow> {
  const url = await createMigratedDatabase(process.env.CT_ADMIN_DATABASE_URL!, prefix);
  const db = createPrisma(url, 4);

  return { db, url, world: await createWorld(db, world), partnerId: (await createPartner(db)).id };
}

export async function closeFlow(flow: Flow): Promise<void> {
  await flow.db.$disconnect();
  await dropDatabase(process.env.CT_ADMIN_DATABASE_URL!, flow.url);
}

export function at(world: World, minute: number, day = 0): string {
  return worldInstant(world, day, minute).toISOString();
}

export function release(world: World, orderRef: string, minute: number, quantity = '100') {
  return {
    eventId: `rel-${orderRef}`,
    type: 'ORDER_RELEASED',
    occurredAt: at(world, minute),
    site: world.siteCode,
    orderRef,
    payload: {
      customerCode: world.customerCode,
      shipToCode: 'DC1',
      currency: 'USD',
      lines: [{ lineNo: 1, skuCode: world.skuCode, quantity, uom: 'EA', unitPrice: '10.00' }],
    },
  };
}

export function pick(
  world: World,
  orderRef: string,
  minute: number,
  quantity = '100',
  id = `pick-${orderRef}-${quantity}`,
) {
  return {
    eventId: id,
    type: 'PICK_COMPLETED',
    occurredAt: at(world, minute),
    site: world.siteCode,
    orderRef,
    payload: { lines: [{ lineNo: 1, quantity, uom: 'EA', lot: 'LOT-1', location: 'A-01-01' }] },
  };
}

export function stage(world: World, orderRef: string, minute: number) {
  return {
    eventId: `stage-${orderRef}-${minute}`,
    type: 'PACKED_STAGED',
    occurredAt: at(world, minute),
    site: world.siteCode,
    orderRef,
    payload: {
      handlingUnits: 2,
      weight: { value: '250', unit: 'KG' },
      volume: { value: '1.2', unit: 'M3' },
      dock: 'D1',
    },
  };
}

export function status(world: World, orderRef: string, type: string, minute: number) {
  return {
    eventId: `${type}-${orderRef}-${minute}`,
    type,
    occurredAt: at(world, minute),
    site: world.siteCode,
    orderRef,
    payload: {},
  };
}

export function voidOf(world: World, orderRef: string, voidedEventId: string, minute: number) {
  return {
    eventId: `void-${voidedEventId}`,
    type: 'EVENT_VOIDED',
    occurredAt: at(world, minute),
    site: world.siteCode,
    orderRef,
    payload: { voidedEventId, reason: 'wrong pick' },
  };
}

export async function send(flow: Flow, raws: object[]) {
  const now = new Date(Date.parse(at(flow.world, 24 * 60)));
  const results = raws.map((raw) => parseEvent(raw, { now }));
  const actor = {
    partnerId: flow.partnerId,
    siteCodes: new Set([flow.world.siteCode]),
    eventTypes: new Set(Object.values(EventType)),
  };

  return recordEvents(flow.db, actor, results, { source: 'API', requestId: randomUUID() });
}

/** Runs every job that is due until the queue is empty, as a worker would. */
export async function drain(flow: Flow): Promise<void> {
  for (let round = 0; round < 10; round += 1) {
    await runOnce({
      connectionString: flow.url,
      taskList: createTaskList(flow.db),
      concurrency: 1,
      logger: queueLogger,
    });
    const [row] = await flow.db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM graphile_worker.jobs WHERE run_at <= now() AND attempts < max_attempts AND locked_at IS NULL`;
    if (Number(row?.n ?? 0) === 0) return;
  }
}

export async function stateOf(db: Db, orderRef: string) {
  const shipment = await db.shipment.findFirst({
    where: { order: { ref: orderRef } },
    include: {
      lines: true,
      holds: { where: { releasedAt: null }, orderBy: { reason: 'asc' } },
      exceptions: {
        where: { status: { in: ['OPEN', 'ACKNOWLEDGED', 'WAITING'] } },
        orderBy: { type: 'asc' },
      },
      bookings: { where: { status: 'BOOKED' } },
      decisions: { orderBy: { decidedAt: 'desc' } },
    },
  });

  return shipment;
}
