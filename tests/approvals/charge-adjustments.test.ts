import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma } from '../../server/db/client';
import type { Role, UserLevel } from '../../server/db/generated/enums';
import { decideApproval } from '../../server/domain/approvals/decide';
import { askAgain } from '../../server/domain/approvals/re-request';
import { createRule, deactivateRule } from '../../server/domain/approvals/rule-admin';
import { requestAdjustment } from '../../server/domain/billing/charge-adjustments';
import { prevalidateBilling } from '../../server/domain/billing/prevalidate-billing';
import { createReadyShipment, createWorld, type World } from '../fixtures/world';

// Charge adjustments on real PostgreSQL: at or below the currency's threshold they apply at
// once, above it they wait for a billing analyst of the rule's level who did not ask; bad
// amounts are refused with a reason; a rejected one can be asked again.

const db = createPrisma(process.env.DATABASE_URL);
let world: World;
let admin: string;
let analyst: string;
let lead: string;
let freightId: string;
let ruleId: string;

async function user(role: Role, level: UserLevel): Promise<string> {
  const row = await db.user.create({
    data: { email: `${randomUUID()}@example.test`, name: role, passwordHash: 'x', role, level },
  });
  await db.userSite.create({ data: { userId: row.id, siteId: world.siteId } });

  return row.id;
}

const adjust = (newAmount: string, userId = analyst, reason = 'fuel band re-read') =>
  requestAdjustment(db, { chargeId: freightId, newAmount, reason, userId });
const amountOf = async () =>
  (await db.charge.findUniqueOrThrow({ where: { id: freightId } })).amount.toFixed(2);
const decide = (requestId: string, deciderId: string, approve = true, note = 'ok') =>
  decideApproval(db, { requestId, deciderId, approve, note });

beforeAll(async () => {
  world = await createWorld(db);
  const s = await createReadyShipment(db, world, { quantity: 240, volumeM3: '1.0' });
  await prevalidateBilling(db, s.shipmentId);
  // 600 kg on the 500 kg break at 0.40: 240.00 of freight.
  const freight = await db.charge.findFirstOrThrow({
    where: { shipmentId: s.shipmentId, kind: 'FREIGHT', voidedAt: null },
  });
  freightId = freight.id;
  admin = await user('ADMIN', 'SITE_MANAGER');
  analyst = await user('BILLING_ANALYST', 'MEMBER');
  lead = await user('BILLING_ANALYST', 'TEAM_LEAD');
});

afterAll(() => db.$disconnect());

describe('charge adjustments', () => {
  it('refuses bad amounts, other roles, and currencies without a threshold', async () => {
    expect(await amountOf()).toBe('240.00');
    for (const bad of ['12.345', '-5', 'abc', '', '1e3']) {
      await expect(adjust(bad)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
    await expect(adjust('250.00', analyst, ' ')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      adjust('250.00', await user('WAREHOUSE_SUPERVISOR', 'SITE_MANAGER')),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // No USD threshold in this database yet (rules are per database, this file's own).
    const usd = await db.approvalRule.count({
      where: {
        kind: 'CHARGE_ADJUSTMENT',
        active: true,
        condition: { path: ['currency'], equals: 'USD' },
      },
    });
    if (usd === 0)
      await expect(adjust('250.00')).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('No adjustment threshold is set for USD'),
      });

    const rule = await createRule(
      db,
      {
        kind: 'CHARGE_ADJUSTMENT',
        name: 'USD adjustments over 50',
        condition: { currency: 'usd', maxAmount: '50.00' },
        requiredRole: 'BILLING_ANALYST',
        requiredLevel: 'TEAM_LEAD',
      },
      { userId: admin, requestId: null },
    );
    ruleId = rule.id;
    expect(rule.condition).toEqual({ currency: 'USD', maxAmount: '50.00' });
    await expect(adjust('240.00')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('applies an adjustment of exactly the threshold at once, audited', async () => {
    expect(await adjust('290.00')).toMatchObject({ status: 'APPLIED' });
    expect(await amountOf()).toBe('290.00');
    const audit = await db.auditLog.findMany({
      where: { entityId: freightId, action: 'charge.adjusted' },
    });
    expect(audit.at(-1)?.data).toMatchObject({ from: '240', to: '290.0000', currency: 'USD' });
  });

  it('holds one a cent above for an approver of the level who did not ask', async () => {
    const outcome = await adjust('340.01');
    expect(outcome.status).toBe('AWAITING_APPROVAL');
    if (outcome.status !== 'AWAITING_APPROVAL') return;
    expect(await amountOf()).toBe('290.00');
    await expect(adjust('300.00')).rejects.toMatchObject({ code: 'CONFLICT' });

    const id = outcome.approvalRequestId;
    await expect(decide(id, analyst)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(decide(id, await user('BILLING_ANALYST', 'MEMBER'))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(decide(id, await user('DISPATCHER', 'SITE_MANAGER'))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await decide(id, lead);
    expect(await amountOf()).toBe('340.01');
    const adjustment = await db.chargeAdjustment.findUniqueOrThrow({
      where: { approvalRequestId: id },
    });
    expect(adjustment.status).toBe('APPLIED');
  });

  it('keeps the amount when rejected, and can be asked again with a new reason', async () => {
    const outcome = await adjust('200.00');
    if (outcome.status !== 'AWAITING_APPROVAL') throw new Error(outcome.status);
    await decide(outcome.approvalRequestId, lead, false, 'attach the carrier invoice');
    expect(await amountOf()).toBe('340.01');
    expect(
      (await db.chargeAdjustment.findUniqueOrThrow({ where: { id: outcome.adjustmentId } })).status,
    ).toBe('REJECTED');

    const again = await askAgain(db, {
      requestId: outcome.approvalRequestId,
      reason: 'carrier invoice 4471 attached',
      userId: analyst,
    });
    await expect(
      askAgain(db, { requestId: outcome.approvalRequestId, reason: 'twice', userId: analyst }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await decide(again.id, lead);
    expect(await amountOf()).toBe('200.00');
  });

  it('measures small steps from the last approved amount, so that splitting one does not pass', async () => {
    expect(await amountOf()).toBe('200.00');
    expect(await adjust('230.00')).toMatchObject({ status: 'APPLIED' });
    // 30.00 more is within the threshold by itself, but 60.00 from the approved 200.00.
    const second = await adjust('260.00');
    expect(second).toMatchObject({ status: 'AWAITING_APPROVAL' });
    if (second.status !== 'AWAITING_APPROVAL') return;
    await decide(second.approvalRequestId, lead, false, 'one adjustment, with its reason');
    expect(await amountOf()).toBe('230.00');
    // Back towards the approved amount is a small change again.
    expect(await adjust('210.00')).toMatchObject({ status: 'APPLIED' });
  });

  it('follows the threshold of the day: a new rule replaces the old one for its currency', async () => {
    await createRule(
      db,
      {
        kind: 'CHARGE_ADJUSTMENT',
        name: 'USD adjustments over 500',
        condition: { currency: 'USD', maxAmount: '500' },
        requiredRole: 'BILLING_ANALYST',
        requiredLevel: 'SITE_MANAGER',
      },
      { userId: admin, requestId: null },
    );
    expect((await db.approvalRule.findUniqueOrThrow({ where: { id: ruleId } })).active).toBe(false);
    expect(await adjust('700.00')).toMatchObject({ status: 'APPLIED' });
    await expect(
      deactivateRule(db, ruleId, { userId: admin, requestId: null }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
