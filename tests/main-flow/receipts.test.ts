import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { shipmentStory } from '../../server/domain/shipments/shipment-story';

import {
  at,
  closeFlow,
  drain,
  openFlow,
  release,
  send,
  stage,
  status,
  type Flow,
} from './flow-helpers';

// Returns and inbound receipts through the real intake and queue: a return is a fact on the
// shipment it names (in its timeline, never moving a milestone back), an inbound receipt is kept
// for its site and moves no shipment at all.

let flow: Flow;

beforeAll(async () => {
  flow = await openFlow('ct_test_receipts');
});

afterAll(() => closeFlow(flow));

const line = { skuCode: 'SKU-ANY', quantity: '4', uom: 'EA' };

describe('receipts at our site', () => {
  it('records a return on its shipment without moving the delivered shipment back', async () => {
    const ref = `ORD-${flow.world.suffix}-RET`;
    await send(flow, [
      release(flow.world, ref, 480),
      stage(flow.world, ref, 600),
      status(flow.world, ref, 'DEPARTED', 700),
      status(flow.world, ref, 'DELIVERED', 800),
    ]);
    await drain(flow);
    const before = await flow.db.shipment.findFirstOrThrow({ where: { order: { ref } } });
    expect(before.deliveredAt).not.toBeNull();

    const returned = {
      eventId: `ret-${ref}`,
      type: 'RETURN_RECEIVED',
      occurredAt: at(flow.world, 900),
      site: flow.world.siteCode,
      shipmentRef: before.ref,
      payload: { lines: [line], disposition: 'damaged' },
    };
    expect((await send(flow, [returned])).map((a) => a.status)).toEqual(['accepted']);
    await drain(flow);

    const after = await flow.db.shipment.findUniqueOrThrow({ where: { id: before.id } });
    expect(after.status).toBe(before.status);
    expect(after.deliveredAt).toEqual(before.deliveredAt);
    const row = await flow.db.shipmentEvent.findFirstOrThrow({
      where: { eventId: returned.eventId },
    });
    expect(row).toMatchObject({ shipmentId: before.id, disposition: 'APPLIED' });
    expect((row.payload as { payload: unknown }).payload).toMatchObject({ lines: [line] });
    const story = await shipmentStory(flow.db, before.id);
    expect(story.events.map((e) => e.type)).toContain('RETURN_RECEIVED');
    expect(story.returnedLines[row.id]).toEqual([line]);
  });

  it('keeps an inbound receipt for its site, enqueuing no job and linking no shipment', async () => {
    const receipt = {
      eventId: `rec-${flow.world.suffix}`,
      type: 'INBOUND_RECEIPT',
      occurredAt: at(flow.world, 600),
      site: flow.world.siteCode,
      payload: { lines: [line], bizTransactions: [{ type: 'po', id: 'PO-SUPPLIER-1' }] },
    };
    const applyJobs = async () => {
      const [row] = await flow.db.$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM graphile_worker.jobs
        WHERE task_identifier = 'apply_shipment_events'`;
      return Number(row?.n);
    };
    await drain(flow);
    const pending = await applyJobs();
    expect((await send(flow, [receipt])).map((a) => a.status)).toEqual(['accepted']);
    expect(await applyJobs()).toBe(pending);

    const row = await flow.db.shipmentEvent.findFirstOrThrow({
      where: { eventId: receipt.eventId },
    });
    expect(row).toMatchObject({ shipmentId: null, orderRef: null, shipmentRef: null });
    expect((row.payload as { site: string }).site).toBe(flow.world.siteCode);
  });
});
