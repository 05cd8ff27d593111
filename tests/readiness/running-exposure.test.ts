import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../server/db/client';
import { runningExposure, summedExposure } from '../../server/domain/readiness/credit-book';
import { createMigratedDatabase, dropDatabase } from '../setup/test-database';
import { createReadyShipment, createWorld, type World } from '../fixtures/world';

// The gate reads a customer's credit exposure from a running total that triggers keep. It must
// equal, at every moment, the rule's sum over every open invoice and shipment: after any
// sequence of writes to shipments, charges, invoices and payments, and when two transactions
// change a shipment and its charges at once.

let url: string;
let db: Db;
let worlds: World[];

beforeAll(async () => {
  url = await createMigratedDatabase(process.env.CT_ADMIN_DATABASE_URL!, 'ct_test_exposure');
  db = createPrisma(url, 4);
  worlds = [await createWorld(db, {}), await createWorld(db, {})];
});

afterAll(async () => {
  await db.$disconnect();
  await dropDatabase(process.env.CT_ADMIN_DATABASE_URL!, url);
});

/** Deterministic, so that a failing sequence can be replayed from its seed. */
function prng(seed: number) {
  let s = seed >>> 0;

  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;

    return s / 2 ** 32;
  };
}

const NO_SHIPMENT = '00000000-0000-0000-0000-000000000000';

async function compare(customerId: string, shipmentId: string) {
  return db.$transaction(async (tx) => {
    const running = await runningExposure(tx, customerId, shipmentId);
    const summed = await summedExposure(tx, customerId, shipmentId);

    return { running, summed };
  });
}

async function expectEqual(world: World, shipmentIds: string[]) {
  for (const id of [NO_SHIPMENT, ...shipmentIds]) {
    const { running, summed } = await compare(world.customerId, id);
    expect(Number(running.unpaid), `unpaid, without ${id}`).toBe(Number(summed.unpaid));
    expect(Number(running.open), `open, without ${id}`).toBe(Number(summed.open));
  }
}

let invoiceNo = 0;

describe('the running credit exposure', () => {
  it('equals the summed rule after a random sequence of changes', async () => {
    const shipments: { id: string; world: World }[] = [];
    for (const world of worlds) {
      for (let i = 0; i < 4; i += 1) {
        const s = await createReadyShipment(db, world, { plannedTrip: null });
        shipments.push({ id: s.shipmentId, world });
      }
    }
    const charges: string[] = [];
    const invoices: { id: string; world: World }[] = [];
    const payments: string[] = [];
    const random = prng(20261205);
    const pickOf = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
    const amount = () => (Math.round(random() * 100_000) / 100).toFixed(2);
    // Mostly open: a change counts only while its shipment or invoice does.
    const when = (p = 0.5) => (random() < p ? new Date() : null);
    const steps: (() => Promise<unknown>)[] = [
      () => {
        const s = pickOf(shipments);
        const readiness = pickOf(['READY', 'HELD', 'PENDING'] as const);

        return db.shipment.update({ where: { id: s.id }, data: { readiness } });
      },
      () =>
        db.shipment.update({ where: { id: pickOf(shipments).id }, data: { departedAt: when() } }),
      () =>
        db.shipment.update({
          where: { id: pickOf(shipments).id },
          data: { invoicedAt: when(0.15) },
        }),
      () =>
        db.shipment.update({
          where: { id: pickOf(shipments).id },
          data: { cancelledAt: when(0.1) },
        }),
      () =>
        db.shipment.update({
          where: { id: pickOf(shipments).id },
          data: { goodsValue: random() < 0.2 ? null : amount() },
        }),
      async () => {
        const c = await db.charge.create({
          data: {
            shipmentId: pickOf(shipments).id,
            kind: 'FREIGHT',
            code: 'FRT',
            description: 'freight',
            amount: amount(),
            currency: 'USD',
          },
        });
        charges.push(c.id);
      },
      async () => {
        if (charges.length === 0) return;
        const id = pickOf(charges);
        const change = random();
        if (change < 0.3) await db.charge.update({ where: { id }, data: { voidedAt: when() } });
        else if (change < 0.6)
          await db.charge.update({ where: { id }, data: { amount: amount() } });
        else if (change < 0.8 && invoices.length > 0)
          await db.charge.update({
            where: { id },
            data: { invoiceId: random() < 0.5 ? null : pickOf(invoices).id },
          });
        else await db.charge.update({ where: { id }, data: { shipmentId: pickOf(shipments).id } });
      },
      async () => {
        const world = pickOf(worlds);
        const total = amount();
        const i = await db.invoice.create({
          data: {
            number: `INV-X-${world.suffix}-${++invoiceNo}`,
            customerId: world.customerId,
            status: pickOf(['DRAFT', 'RELEASED', 'RELEASED', 'PAID'] as const),
            currency: 'USD',
            subtotal: total,
            tax: '0',
            total,
          },
        });
        invoices.push({ id: i.id, world });
      },
      async () => {
        if (invoices.length === 0) return;
        const i = pickOf(invoices);
        const status = pickOf(['DRAFT', 'HELD', 'RELEASED', 'PAID', 'VOID'] as const);
        await db.invoice.update({
          where: { id: i.id },
          data: random() < 0.5 ? { status } : { total: amount() },
        });
      },
      async () => {
        if (invoices.length === 0) return;
        const i = pickOf(invoices);
        const p = await db.payment.create({
          data: {
            customerId: i.world.customerId,
            invoiceId: i.id,
            amount: amount(),
            currency: 'USD',
            receivedAt: new Date(),
          },
        });
        payments.push(p.id);
      },
      async () => {
        if (payments.length === 0) return;
        const id = pickOf(payments);
        if (random() < 0.3) {
          await db.payment.delete({ where: { id } });
          payments.splice(payments.indexOf(id), 1);
        } else if (random() < 0.5 && invoices.length > 0) {
          await db.payment.update({
            where: { id },
            data: { invoiceId: random() < 0.3 ? null : pickOf(invoices).id },
          });
        } else await db.payment.update({ where: { id }, data: { amount: amount() } });
      },
    ];

    for (let i = 0; i < 400; i += 1) {
      await pickOf(steps)();
      // A fold now and then, as decisions do, between the changes.
      if (random() < 0.2) await compare(pickOf(worlds).customerId, NO_SHIPMENT);
      if (i % 25 === 24) {
        for (const world of worlds) {
          await expectEqual(
            world,
            shipments.filter((s) => s.world === world).map((s) => s.id),
          );
        }
      }
    }
  });

  it('counts a charge written while another transaction makes its shipment READY', async () => {
    const world = worlds[0]!;
    for (const chargeFirst of [true, false]) {
      const { shipmentId } = await createReadyShipment(db, world, { plannedTrip: null });
      await db.shipment.update({ where: { id: shipmentId }, data: { readiness: 'HELD' } });
      const a = new pg.Client({ connectionString: url });
      const b = new pg.Client({ connectionString: url });
      await Promise.all([a.connect(), b.connect()]);
      try {
        await a.query('BEGIN');
        await b.query('BEGIN');
        const charge = (c: pg.Client) =>
          c.query(
            `INSERT INTO charges (id, shipment_id, kind, code, description, amount, currency)
             VALUES (gen_random_uuid(), $1, 'FREIGHT', 'FRT', 'freight', 125.5, 'USD')`,
            [shipmentId],
          );
        const ready = (c: pg.Client) =>
          c.query(`UPDATE shipments SET readiness = 'READY' WHERE id = $1`, [shipmentId]);
        // The first writer commits while the second waits on the shipment's row.
        const [first, second] = chargeFirst ? [a, b] : [b, a];
        await (chargeFirst ? charge(first) : ready(first));
        const waiting = chargeFirst ? ready(second) : charge(second);
        await new Promise((resolve) => setTimeout(resolve, 100));
        await first.query('COMMIT');
        await waiting;
        await second.query('COMMIT');
      } finally {
        await Promise.all([a.end(), b.end()]);
      }
      await expectEqual(world, [shipmentId]);
    }
  });
});
