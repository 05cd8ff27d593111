import { afterAll, describe, expect, it } from 'vitest';
import { createPrisma } from '../../server/db/client';
import { loadContracts, loadFuelPrices } from '../../server/domain/billing/load-rating-input';
import { noRateKey, prevalidateBilling } from '../../server/domain/billing/prevalidate-billing';
import { rateShipment } from '../../server/domain/billing/rating';
import { toStorage } from '../../server/lib/money';
import {
  addDays,
  addLane,
  createReadyShipment,
  createWorld,
  worldInstant,
  type World,
} from '../fixtures/world';

// Billing pre-validation against the real database: charge lines as the pure rating computes
// them, a rerun that voids and rewrites instead of adding, and NO_RATE as one billing exception.

const db = createPrisma(process.env.DATABASE_URL);
afterAll(() => db.$disconnect());

async function liveCharges(shipmentId: string) {
  return db.charge.findMany({ where: { shipmentId, voidedAt: null }, orderBy: { kind: 'asc' } });
}

async function oracle(world: World, shipDate: string, weightKg: string, volumeM3: string) {
  const contracts = await db.$transaction((tx) => loadContracts(tx, world.customerId));
  const fuel = await db.$transaction((tx) => loadFuelPrices(tx, contracts));
  const rated = rateShipment(
    contracts,
    {
      originSiteId: world.siteId,
      zoneId: world.zoneId,
      shipDate,
      weightKg,
      volumeM3,
      handlingUnits: 2,
      dangerousGoods: false,
    },
    fuel,
  );
  if (!rated.ok) throw new Error(rated.message);

  return rated;
}

describe('prevalidateBilling', () => {
  it('writes freight, fuel and tax lines as rateShipment rates them', async () => {
    const world = await createWorld(db);
    const s = await createReadyShipment(db, world, { quantity: 240, volumeM3: '1.0' });

    const outcome = await prevalidateBilling(db, s.shipmentId);

    // 600 kg on the 500 kg break at 0.40 = 240.00; fuel 15 % = 36.00; tax 7.25 % of 276.00.
    expect(outcome).toMatchObject({
      status: 'rated',
      contractCode: world.contractCode,
      currency: 'USD',
      total: '296.0100',
    });
    const charges = await liveCharges(s.shipmentId);
    expect(charges.map((c) => [c.kind, c.amount.toFixed(4)])).toEqual([
      ['FREIGHT', '240.0000'],
      ['FUEL_SURCHARGE', '36.0000'],
      ['TAX', '20.0100'],
    ]);
    const expected = await oracle(world, s.planned!.serviceDate, '600', '1.0');
    expect(charges.map((c) => c.amount.toFixed(4)).sort()).toEqual(
      expected.lines.map((l) => toStorage(l.amount)).sort(),
    );
    expect(charges[0]!.basis).toMatchObject({
      chargeableWeightKg: '600',
      ratePerKg: '0.4',
      shipDate: s.planned!.serviceDate,
    });
    expect(await db.invoice.count({ where: { shipmentId: s.shipmentId } })).toBe(0);
    const audit = await db.auditLog.findMany({
      where: { entityId: s.shipmentId, action: 'billing.prevalidated' },
    });
    expect(audit).toHaveLength(1);
  });

  it('bills a light shipment at the minimum with its adjustment line', async () => {
    const world = await createWorld(db);
    const s = await createReadyShipment(db, world, { quantity: 40, volumeM3: '0.2' });

    await prevalidateBilling(db, s.shipmentId);

    // 100 kg at 0.50 = 50.00, raised to the 75.00 minimum; fuel on the 75.00 line haul.
    const charges = await liveCharges(s.shipmentId);
    expect(charges.map((c) => [c.kind, c.amount.toFixed(2)])).toEqual([
      ['FREIGHT', '50.00'],
      ['MINIMUM_ADJUSTMENT', '25.00'],
      ['FUEL_SURCHARGE', '11.25'],
      ['TAX', '6.25'],
    ]);
  });

  it('voids and rewrites on a rerun, so there is one live set of lines', async () => {
    const world = await createWorld(db);
    const s = await createReadyShipment(db, world, { quantity: 240, volumeM3: '1.0' });

    const first = await prevalidateBilling(db, s.shipmentId);
    await db.shipment.update({ where: { id: s.shipmentId }, data: { weightKg: '1000' } });
    const second = await prevalidateBilling(db, s.shipmentId);

    expect(first).toMatchObject({ status: 'rated', voided: 0 });
    expect(second).toMatchObject({ status: 'rated', voided: 3, total: toStorage('493.35') });
    const live = await liveCharges(s.shipmentId);
    expect(live).toHaveLength(3);
    expect(live.every((c) => second.status === 'rated' && second.chargeIds.includes(c.id))).toBe(
      true,
    );
    expect(
      await db.charge.count({ where: { shipmentId: s.shipmentId, voidedAt: { not: null } } }),
    ).toBe(3);
  });

  it('rates on the planned departure date, else the local date of the stage', async () => {
    const world = await createWorld(db);
    // 23:30 in Chicago is already the next day in UTC; after the cut-off, so planned for day 1.
    const late = worldInstant(world, 0, 23 * 60 + 30);
    const planned = await createReadyShipment(db, world, { stagedAt: late });
    const unplanned = await createReadyShipment(db, world, { stagedAt: late, plannedTrip: null });

    await prevalidateBilling(db, planned.shipmentId);
    await prevalidateBilling(db, unplanned.shipmentId);

    const dateOf = async (id: string) =>
      ((await liveCharges(id))[0]!.basis as { shipDate: string }).shipDate;
    expect(await dateOf(planned.shipmentId)).toBe(addDays(world.day0, 1));
    expect(await dateOf(unplanned.shipmentId)).toBe(world.day0);
  });

  it('leaves a shipment alone once its charges are on an invoice', async () => {
    const world = await createWorld(db);
    const s = await createReadyShipment(db, world);
    await prevalidateBilling(db, s.shipmentId);
    const invoice = await db.invoice.create({
      data: {
        number: `INV-${world.suffix}`,
        customerId: world.customerId,
        shipmentId: s.shipmentId,
        currency: 'USD',
        subtotal: '0',
        tax: '0',
        total: '0',
      },
    });
    await db.charge.updateMany({
      where: { shipmentId: s.shipmentId, voidedAt: null },
      data: { invoiceId: invoice.id },
    });

    expect(await prevalidateBilling(db, s.shipmentId)).toEqual({
      status: 'skipped',
      reason: 'INVOICED',
    });
    expect(await liveCharges(s.shipmentId)).toHaveLength(3);
  });
});

describe('prevalidateBilling without a rate', () => {
  it('opens one NO_RATE exception for billing naming the missing lane', async () => {
    const world = await createWorld(db, { lane: false });
    const s = await createReadyShipment(db, world);

    const outcomes = [
      await prevalidateBilling(db, s.shipmentId),
      await prevalidateBilling(db, s.shipmentId),
    ];

    expect(outcomes.map((o) => o.status)).toEqual(['no_rate', 'no_rate']);
    expect(outcomes[0]).toMatchObject({ missing: 'LANE' });
    const exceptions = await db.exception.findMany({
      where: { dedupeKey: noRateKey(s.shipmentId) },
    });
    expect(exceptions).toHaveLength(1);
    expect(exceptions[0]).toMatchObject({
      type: 'NO_RATE',
      ownerTeam: 'BILLING',
      teamId: world.teamIds.BILLING,
      status: 'OPEN',
    });
    expect(exceptions[0]!.title).toContain(`Contract ${world.contractCode} has no lane`);
    expect(exceptions[0]!.detail).toMatchObject({
      missing: 'LANE',
      contractCode: world.contractCode,
      zones: [world.zoneCode],
    });
    expect(await liveCharges(s.shipmentId)).toHaveLength(0);
  });

  it('resolves the exception when the lane is added and a rerun rates the shipment', async () => {
    const world = await createWorld(db, { lane: false });
    const s = await createReadyShipment(db, world);
    await prevalidateBilling(db, s.shipmentId);
    await addLane(db, world, [{ minWeightKg: '0', ratePerKg: '0.50' }]);

    expect(await prevalidateBilling(db, s.shipmentId)).toMatchObject({ status: 'rated' });
    const exception = await db.exception.findFirstOrThrow({
      where: { dedupeKey: noRateKey(s.shipmentId) },
    });
    expect(exception.status).toBe('RESOLVED');
  });

  it('names the zone when the ship-to is outside every delivery zone', async () => {
    const world = await createWorld(db);
    await db.customerLocation.update({
      where: { id: world.shipToId },
      data: { postalCode: `QQ${world.suffix}` },
    });
    const s = await createReadyShipment(db, world, { plannedTrip: null });

    expect(await prevalidateBilling(db, s.shipmentId)).toMatchObject({
      status: 'no_rate',
      missing: 'ZONE',
    });
  });
});
