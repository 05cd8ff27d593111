import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadyShipment, createWorld, type World } from '../../../tests/fixtures/world';
import { createPrisma } from '../../db/client';
import type { Role } from '../../db/generated/enums';
import type { SessionUser } from '../../domain/users/types';
import { createTestUser, uniqueTag } from '../../domain/users/test-fixtures';
import { logger } from '../../lib/logger';
import { createCaller } from '../root';
import type { Context } from '../trpc';

// The supervisor's floor board and hand entries through the procedures, against PostgreSQL:
// site scope, the role, and that a hand entry is judged and stored like a partner's event.

const db = createPrisma(process.env.DATABASE_URL, 2);
let world: World;
let other: World;
let shipmentRef: string;
let supervisor: SessionUser;

async function userAt(role: Role, siteIds: string[]): Promise<SessionUser> {
  const row = await createTestUser(db, uniqueTag(), role);
  await db.userSite.createMany({ data: siteIds.map((siteId) => ({ userId: row.id, siteId })) });

  return { ...row, level: 'MEMBER', teamId: null, allSites: false, siteIds };
}

function callerAs(user: SessionUser) {
  const context: Context = { db, user, requestId: `req-${uniqueTag()}`, log: logger('test') };

  return createCaller(context);
}

const stage = (ref: string, weightKg = '120.5') => ({
  kind: 'STAGE' as const,
  ref,
  handlingUnits: 2,
  weightKg,
  volumeM3: '1.2',
  dock: 'D1',
});

beforeAll(async () => {
  // One after the other: both upsert the same units of measure.
  world = await createWorld(db);
  other = await createWorld(db);
  shipmentRef = (await createReadyShipment(db, world)).ref;
  supervisor = await userAt('WAREHOUSE_SUPERVISOR', [world.siteId]);
});

afterAll(() => db.$disconnect());

describe('the floor board', () => {
  it("shows today's shipments at the supervisor's sites with a count per status", async () => {
    const board = await callerAs(supervisor).warehouse.floor({});

    expect(board.rows.map((r) => r.ref)).toContain(shipmentRef);
    expect(board.counts.READY).toBeGreaterThanOrEqual(1);
    expect(board.sites.map((s) => s.code)).toEqual([world.siteCode]);
  });

  it("leaves out another site's shipments", async () => {
    const elsewhere = await userAt('WAREHOUSE_SUPERVISOR', [other.siteId]);
    const board = await callerAs(elsewhere).warehouse.floor({ status: 'READY' });

    expect(board.rows.map((r) => r.ref)).not.toContain(shipmentRef);
  });
});

describe('recording by hand', () => {
  it('stores a stage as a UI event of the user, without a partner, and audits it', async () => {
    const result = await callerAs(supervisor).warehouse.recordByHand(stage(shipmentRef));

    expect(result.answer).toMatchObject({ status: 'accepted' });
    const row = await db.shipmentEvent.findFirstOrThrow({
      where: { eventId: result.answer.eventId! },
    });
    expect(row).toMatchObject({ source: 'UI', partnerId: null, userId: supervisor.id });
    expect(row.eventId).toMatch(/^ui-[0-9a-f-]{36}$/);
    expect(row.payload).toMatchObject({
      site: world.siteCode,
      orderRef: `O-${shipmentRef}`,
      payload: { weight: { value: '120.5', unit: 'KG' } },
    });
    const audit = await db.auditLog.count({ where: { entityId: row.id, actorId: supervisor.id } });
    expect(audit).toBe(1);
  });

  it('leaves blank lot and location out of a pick', async () => {
    const pick = { kind: 'PICK' as const, ref: shipmentRef, lineNo: 1, quantity: '100', uom: 'EA' };
    const result = await callerAs(supervisor).warehouse.recordByHand({ ...pick, lot: '' });

    expect(result.answer).toMatchObject({ status: 'accepted' });
    const row = await db.shipmentEvent.findFirstOrThrow({
      where: { eventId: result.answer.eventId! },
    });
    expect(row.payload).toMatchObject({ payload: { lines: [{ lineNo: 1, quantity: '100' }] } });
    expect(JSON.stringify(row.payload)).not.toContain('"lot"');
  });

  it('answers what the schema refuses per field, and stores nothing', async () => {
    const result = await callerAs(supervisor).warehouse.recordByHand(stage(shipmentRef, '-3'));

    expect(result.answer).toMatchObject({
      status: 'rejected',
      issues: [{ path: 'payload.weight.value', reason: expect.stringContaining('negative') }],
    });
    expect(await db.shipmentEvent.count({ where: { eventId: result.answer.eventId! } })).toBe(0);
  });

  it('refuses a shipment at another site as not found', async () => {
    const elsewhere = await userAt('WAREHOUSE_SUPERVISOR', [other.siteId]);

    await expect(
      callerAs(elsewhere).warehouse.recordByHand(stage(shipmentRef)),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses another role', async () => {
    const dispatcher = await userAt('DISPATCHER', [world.siteId]);

    await expect(
      callerAs(dispatcher).warehouse.recordByHand(stage(shipmentRef)),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
