import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma } from '../../server/db/client';
import { slotShipment } from '../../server/domain/dispatch/slot-shipment';
import {
  deliverOutbox,
  OutboxDeliveryError,
  receiverFor,
} from '../../server/domain/integration/deliver-outbox';
import {
  ERP_RECORD_TOPIC,
  publishShipmentRecord,
  type ShipmentRecordMessage,
} from '../../server/domain/integration/publish-shipment-record';
import { createReadyShipment, createWorld } from '../fixtures/world';
import { jobsWithKey } from './jobs';

// The ERP shipment record through the transactional outbox: one message per state of the
// shipment, each with its delivery job, and delivery to a real HTTP receiver on this machine
// that checks the signature and the delivery id the way an ERP's endpoint would.

const db = createPrisma(process.env.DATABASE_URL);
const SECRET = 'test-erp-secret';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  signatureValid: boolean;
}

/** Answers `status` (changeable between calls) and keeps what it was sent. */
function startReceiver() {
  const received: Received[] = [];
  const state = { status: 200 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const expected = Buffer.from(
        `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
      );
      const given = Buffer.from(String(req.headers['x-signature'] ?? ''));
      const signatureValid = given.length === expected.length && timingSafeEqual(given, expected);
      received.push({ headers: req.headers, body, signatureValid });
      res.writeHead(signatureValid ? state.status : 401, { 'content-type': 'text/plain' });
      res.end(state.status === 200 ? 'ok' : 'receiver is down for maintenance');
    });
  });

  return { server, received, state };
}

const receiver = startReceiver();
let url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/erp/shipments`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
  await db.$disconnect();
});

async function messagesOf(shipmentId: string) {
  return db.outboxMessage.findMany({
    where: { topic: ERP_RECORD_TOPIC, aggregateId: shipmentId },
    orderBy: { createdAt: 'asc' },
  });
}

describe('publishShipmentRecord', () => {
  it('writes one message per state of the shipment, each with its delivery job', async () => {
    const world = await createWorld(db);
    const s = await createReadyShipment(db, world, { quantity: 100 });

    const first = await publishShipmentRecord(db, s.shipmentId);
    const repeat = await publishShipmentRecord(db, s.shipmentId);
    await slotShipment(db, s.shipmentId);
    const slotted = await publishShipmentRecord(db, s.shipmentId);

    expect(first).toMatchObject({ status: 'queued', sequence: 1 });
    expect(repeat).toEqual({
      status: 'unchanged',
      outboxId: first.status === 'queued' ? first.outboxId : '',
    });
    expect(slotted).toMatchObject({ status: 'queued', sequence: 2 });
    const messages = await messagesOf(s.shipmentId);
    expect(messages).toHaveLength(2);
    const [ready, booked] = messages.map((m) => m.payload as unknown as ShipmentRecordMessage);
    expect(ready).toMatchObject({
      type: 'SHIPMENT_RECORD_UPDATED',
      deliveryId: messages[0]!.id,
      aggregateId: s.shipmentId,
      shipment: {
        ref: s.ref,
        status: 'READY',
        readiness: 'READY',
        customerCode: world.customerCode,
        siteCode: world.siteCode,
        goodsValue: { amount: '1000.0000', currency: 'USD' },
        plannedTrip: {
          tripId: s.plannedTripId,
          routeCode: world.routeCode,
          serviceDate: world.day0,
        },
        booking: null,
      },
    });
    expect(ready!.shipment.milestones.packedStagedAt).toBe(ready!.shipment.milestones.readyAt);
    expect(booked!.shipment).toMatchObject({
      status: 'SLOTTED',
      booking: { vehicleCode: `V-${world.suffix}-1` },
    });
    expect(booked!.contentHash).not.toBe(ready!.contentHash);
    for (const m of messages) {
      expect(await jobsWithKey(db, `deliver_outbox:${m.id}`)).toEqual([{ task: 'deliver_outbox' }]);
    }
  });

  it('writes one message when two publications of the same state race', async () => {
    const world = await createWorld(db);
    const s = await createReadyShipment(db, world);

    const outcomes = await Promise.all([
      publishShipmentRecord(db, s.shipmentId),
      publishShipmentRecord(db, s.shipmentId),
    ]);

    expect(outcomes.map((o) => o.status).sort()).toEqual(['queued', 'unchanged']);
    expect(await messagesOf(s.shipmentId)).toHaveLength(1);
  });
});

describe('deliverOutbox', () => {
  async function publishedMessageId() {
    const world = await createWorld(db);
    const s = await createReadyShipment(db, world);
    const published = await publishShipmentRecord(db, s.shipmentId);
    if (published.status !== 'queued') throw new Error('nothing was published');

    return published.outboxId;
  }

  it('posts the signed record with its delivery id and marks it delivered', async () => {
    const id = await publishedMessageId();
    receiver.state.status = 200;
    const before = receiver.received.length;

    const outcome = await deliverOutbox(db, id, { receiver: { url, secret: SECRET } });
    const again = await deliverOutbox(db, id, { receiver: { url, secret: SECRET } });

    expect(outcome).toEqual({ status: 'delivered', httpStatus: 200, attempts: 1 });
    expect(again).toEqual({ status: 'already_delivered' });
    const sent = receiver.received.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.signatureValid).toBe(true);
    expect(sent[0]!.headers['x-delivery-id']).toBe(id);
    expect(sent[0]!.headers['content-type']).toBe('application/json');
    expect((JSON.parse(sent[0]!.body) as ShipmentRecordMessage).deliveryId).toBe(id);
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ attempts: 1, lastError: null });
    expect(row.deliveredAt).not.toBeNull();
  });

  it('counts a refused attempt, keeps its error, throws, retries the same bytes', async () => {
    const id = await publishedMessageId();
    receiver.state.status = 503;
    const before = receiver.received.length;

    await expect(deliverOutbox(db, id, { receiver: { url, secret: SECRET } })).rejects.toThrow(
      OutboxDeliveryError,
    );
    await expect(deliverOutbox(db, id, { receiver: { url, secret: SECRET } })).rejects.toThrow(
      /HTTP 503/,
    );
    const failed = await db.outboxMessage.findUniqueOrThrow({ where: { id } });
    receiver.state.status = 200;
    const recovered = await deliverOutbox(db, id, { receiver: { url, secret: SECRET } });

    expect(failed).toMatchObject({ attempts: 2, deliveredAt: null });
    expect(failed.lastError).toContain('HTTP 503: receiver is down for maintenance');
    expect(recovered).toMatchObject({ status: 'delivered', attempts: 3 });
    const sent = receiver.received.slice(before);
    expect(new Set(sent.map((r) => r.body)).size).toBe(1);
    expect(new Set(sent.map((r) => r.headers['x-signature'])).size).toBe(1);
  });

  it('throws on an unreachable receiver and counts the attempt', async () => {
    const id = await publishedMessageId();
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    await expect(
      deliverOutbox(db, id, { receiver: { url: deadUrl, secret: SECRET } }),
    ).rejects.toThrow(/request failed/);
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({
      attempts: 1,
      deliveredAt: null,
    });
  });

  it('leaves it undelivered with a note, not failing, when no receiver is set', async () => {
    const id = await publishedMessageId();

    const outcome = await deliverOutbox(db, id, { receiver: receiverFor(ERP_RECORD_TOPIC, {}) });
    const unsigned = await deliverOutbox(db, id, { receiver: { url, secret: undefined } });

    expect(outcome).toMatchObject({ status: 'not_configured', attempts: 1 });
    expect(unsigned).toMatchObject({ status: 'not_configured', attempts: 2 });
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row.deliveredAt).toBeNull();
    expect(row.lastError).toMatch(/refusing to send unsigned/);
    expect(outcome.status === 'not_configured' && outcome.note).toMatch(/no receiver configured/);
  });

  it('reads the receiver from ERP_WEBHOOK_URL and ERP_WEBHOOK_SECRET', () => {
    const env = { ERP_WEBHOOK_URL: 'https://erp.example/hook', ERP_WEBHOOK_SECRET: 's' };

    expect(receiverFor(ERP_RECORD_TOPIC, env)).toEqual({ url: env.ERP_WEBHOOK_URL, secret: 's' });
    expect(receiverFor('carrier.tender', env)).toEqual({ url: undefined, secret: undefined });
  });
});
