import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrisma } from '../../server/db/client';
import { slotShipment } from '../../server/domain/dispatch/slot-shipment';
import {
  contentHashOf,
  ERP_RECORD_TOPIC,
  publishShipmentRecord,
  type PublishOutcome,
  type ShipmentRecordMessage as Message,
} from '../../server/domain/integration/publish-shipment-record';
import { publishTogether } from '../../server/domain/integration/publish-together';
import { createReadyShipment, createWorld, type World } from '../fixtures/world';
import { queuedItems } from './jobs';
import { labelsOf } from './twins';

// The ERP shipment record made together (publishTogether, the batch job's form) against one
// shipment at a time, in twin worlds, over two rounds: the same outbox messages (records,
// sequences, content hashes) each with its delivery job, and the same records left unchanged.

const db = createPrisma(process.env.DATABASE_URL, 20);
afterAll(() => db.$disconnect());

/** Four shipments: one published before the rounds, one slotted before, one slotted between. */
async function shipmentsOf(world: World): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < 4; i += 1) {
    const s = await createReadyShipment(db, world, { ref: `SH-${world.suffix}-${i}` });
    if (i === 1) await publishShipmentRecord(db, s.shipmentId);
    if (i === 2) await slotShipment(db, s.shipmentId);
    ids.push(s.shipmentId);
  }

  return ids;
}

async function snapshot(world: World, ids: string[], rounds: PublishOutcome[][]) {
  const label = await labelsOf(db, [world], ids);
  const items = await queuedItems<{ id: string }>(db, 'deliver_outbox');
  const messages = [];
  for (const id of ids) {
    const rows = await db.outboxMessage.findMany({
      where: { topic: ERP_RECORD_TOPIC, aggregateId: id },
      orderBy: { createdAt: 'asc' },
    });
    for (const m of rows) {
      // The hash is of the world's own codes and ids: it is checked, then left out.
      const { generatedAt: _at, contentHash, ...payload } = m.payload as unknown as Message;
      expect(contentHash).toBe(contentHashOf(payload.shipment));
      const { milestones } = payload.shipment;
      const slotted = milestones.slottedAt === null ? null : 'set';
      const shipment = { ...payload.shipment, milestones: { ...milestones, slottedAt: slotted } };
      const queued = items.filter((i) => i.id === m.id).length;
      messages.push({ aggregate: m.aggregateId, payload: { ...payload, shipment }, queued });
    }
  }

  return label({ rounds, messages });
}

describe('the ERP record made together', () => {
  it('leaves the same messages and delivery jobs as one shipment at a time', async () => {
    const [tw, aw] = [await createWorld(db), await createWorld(db)];
    const t = await shipmentsOf(tw);
    const a = await shipmentsOf(aw);
    const unknown = randomUUID();
    const tRounds: PublishOutcome[][] = [];
    const aRounds: PublishOutcome[][] = [];

    for (const round of [0, 1]) {
      if (round === 1) for (const id of [t[0]!, a[0]!]) await slotShipment(db, id);
      const made = await publishTogether(db, [...t, unknown].reverse());
      tRounds.push([...t, unknown].map((id) => made.get(id)!));
      const one: PublishOutcome[] = [];
      for (const id of [...a, unknown]) one.push(await publishShipmentRecord(db, id));
      aRounds.push(one);
    }

    const statuses = tRounds.flat().map((o) => o.status);
    for (const status of ['queued', 'unchanged', 'skipped']) expect(statuses).toContain(status);
    expect(await snapshot(tw, t, tRounds)).toEqual(await snapshot(aw, a, aRounds));
  });
});
