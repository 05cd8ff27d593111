import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrisma } from '../../server/db/client';
import {
  prevalidateBilling,
  type BillingOutcome,
} from '../../server/domain/billing/prevalidate-billing';
import { prevalidateTogether } from '../../server/domain/billing/prevalidate-together';
import { decimal } from '../../server/lib/money';
import { addLane, createReadyShipment, createWorld, type World } from '../fixtures/world';
import { auditChainOf, exceptionsOf, labelsOf } from './twins';

// Billing pre-validation made together (prevalidateTogether, the batch job's form) against one
// shipment at a time, in twin pairs of worlds (one customer with a lane, one without): the same
// charges, voided lines, NO_RATE exceptions opened and later resolved, credit exposure changes
// and audit chains, over two rounds: the first rates some and finds no rate for others, the
// second, once the missing lane exists, re-rates all of them.

const db = createPrisma(process.env.DATABASE_URL, 20);
afterAll(() => db.$disconnect());

interface Case {
  quantity: number;
  cancelled?: boolean;
  /** Rated once before the rounds: its lines are voided by the next run. */
  ratedBefore?: boolean;
}

const CASES: Case[] = [
  { quantity: 240 },
  { quantity: 100, ratedBefore: true },
  { quantity: 10 },
  { quantity: 40, cancelled: true },
];

async function shipmentsOf(world: World): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, c] of CASES.entries()) {
    const s = await createReadyShipment(db, world, {
      ref: `SH-${world.suffix}-${i}`,
      quantity: c.quantity,
    });
    if (c.cancelled)
      await db.shipment.update({
        where: { id: s.shipmentId },
        data: { cancelledAt: new Date(), status: 'CANCELLED' },
      });
    if (c.ratedBefore) await prevalidateBilling(db, s.shipmentId);
    ids.push(s.shipmentId);
  }

  return ids;
}

async function snapshot(worlds: World[], ids: string[], rounds: BillingOutcome[][]) {
  const label = await labelsOf(db, worlds, ids);
  const shipments = [];
  for (const id of ids) {
    const charges = await db.charge.findMany({
      where: { shipmentId: id },
      orderBy: [{ createdAt: 'asc' }, { kind: 'asc' }, { code: 'asc' }],
    });
    shipments.push({
      charges: charges.map((c) => ({
        kind: c.kind,
        code: c.code,
        description: c.description,
        amount: c.amount,
        currency: c.currency,
        basis: c.basis,
        voided: c.voidedAt !== null,
      })),
      exceptions: await exceptionsOf(db, id),
      audit: await auditChainOf(db, id),
    });
  }
  const exposure = [];
  for (const world of worlds) {
    const changes = await db.creditExposureChange.findMany({
      where: { customerId: world.customerId },
      orderBy: { id: 'asc' },
    });
    exposure.push(changes.map((c) => [c.releasedUnpaid, c.shippedOrReadyNotInvoiced]).sort());
  }

  return label({ rounds, shipments, exposure });
}

describe('billing pre-validation made together', () => {
  it('leaves the same rows as one shipment at a time, over two rounds', async () => {
    const together = [await createWorld(db), await createWorld(db, { lane: false })];
    const alone = [await createWorld(db), await createWorld(db, { lane: false })];
    const t = [...(await shipmentsOf(together[0]!)), ...(await shipmentsOf(together[1]!))];
    const a = [...(await shipmentsOf(alone[0]!)), ...(await shipmentsOf(alone[1]!))];
    const unknown = randomUUID();
    const tRounds: BillingOutcome[][] = [];
    const aRounds: BillingOutcome[][] = [];

    for (const round of [0, 1]) {
      if (round === 1) for (const world of [together[1]!, alone[1]!]) await addLane(db, world);
      const made = await prevalidateTogether(db, [unknown, ...t].reverse());
      tRounds.push([unknown, ...t].map((id) => made.get(id)!));
      const one: BillingOutcome[] = [];
      for (const id of [unknown, ...a]) one.push(await prevalidateBilling(db, id));
      aRounds.push(one);
    }

    const statuses = tRounds.flat().map((o) => o.status);
    for (const status of ['rated', 'no_rate', 'skipped']) expect(statuses).toContain(status);
    expect(await snapshot(together, t, tRounds)).toEqual(await snapshot(alone, a, aRounds));
  });

  // An adjustment's order: its charge, then (updating it) its shipment, through the credit
  // exposure's trigger. A run that held the shipment's row strongly before voiding its lines
  // would wait for the adjusted line while the adjustment waited for the row.
  const runs: [string, (ids: string[]) => Promise<BillingOutcome[]>][] = [
    [
      'made together',
      async (ids) => {
        const made = await prevalidateTogether(db, ids);

        return ids.map((id) => made.get(id)!);
      },
    ],
    ['one at a time', async (ids) => [await prevalidateBilling(db, ids[0]!)]],
  ];
  it.each(runs)(
    'lets an adjustment of a charge it will void go first, with no deadlock (%s)',
    async (_, run) => {
      const world = await createWorld(db);
      const ids: string[] = [];
      for (const quantity of [100, 200]) {
        const s = await createReadyShipment(db, world, { quantity });
        expect((await prevalidateBilling(db, s.shipmentId)).status).toBe('rated');
        ids.push(s.shipmentId);
      }
      const [adjusted] = await db.$queryRaw<{ id: string; amount: string }[]>`
        SELECT id::text, amount::text FROM charges
        WHERE shipment_id = ${ids[0]}::uuid AND voided_at IS NULL ORDER BY ctid DESC LIMIT 1`;
      const live = () => db.charge.count({ where: { shipmentId: { in: ids }, voidedAt: null } });
      const liveBefore = await live();
      expect(
        await db.charge.count({ where: { shipmentId: ids[0], voidedAt: null } }),
      ).toBeGreaterThan(1);
      const adjustment = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await adjustment.connect();
      try {
        await adjustment.query('BEGIN');
        await adjustment.query('SELECT 1 FROM charges WHERE id = $1 FOR UPDATE', [adjusted!.id]);
        const rating = run(ids);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await adjustment.query('UPDATE charges SET amount = amount + 1 WHERE id = $1', [
          adjusted!.id,
        ]);
        await adjustment.query('COMMIT');

        expect(new Set((await rating).map((o) => o.status))).toEqual(new Set(['rated']));
      } finally {
        await adjustment.end();
      }
      // The run voided the adjusted line after the adjustment, and rated anew.
      const after = await db.charge.findUniqueOrThrow({ where: { id: adjusted!.id } });
      expect(after.amount.toString()).toBe(decimal(adjusted!.amount).plus(1).toString());
      expect(after.voidedAt).not.toBeNull();
      expect(await live()).toBe(liveBefore);
    },
  );
});
