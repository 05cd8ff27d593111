import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role, UserLevel } from '../../server/db/generated/enums';
import { decideApproval } from '../../server/domain/approvals/decide';
import { requestOverride } from '../../server/domain/approvals/hold-overrides';
import { escalateOverdueApproval } from '../../server/domain/approvals/overdue';
import { askAgain } from '../../server/domain/approvals/re-request';
import { zonedInstant } from '../../server/domain/dispatch/departures';
import {
  closeFlow,
  drain,
  openFlow,
  pick,
  release,
  send,
  stage,
  stateOf,
  type Flow,
} from '../main-flow/flow-helpers';

// Manual overrides of a hold on real PostgreSQL and the real queue: who may ask, who may
// decide, the hold lifted as overridden and the gate run again, the override lapsing when a
// later fact changes what the check found and spent when the check passes by itself, the
// request's business-hours deadline across a weekend and its escalation, and asking again after
// a rejection.

let flow: Flow;
let n = 0;

async function user(role: Role, level: UserLevel): Promise<string> {
  const row = await flow.db.user.create({
    data: {
      email: `${randomUUID()}@example.test`,
      name: `${role} ${level} ${++n}`,
      passwordHash: 'x',
      role,
      level,
    },
  });
  await flow.db.userSite.create({ data: { userId: row.id, siteId: flow.world.siteId } });

  return row.id;
}

/** A shipment short-picked (90 of 100): held for a quantity variance. */
async function shortPicked() {
  const ref = `OVR-${flow.world.suffix}-${++n}`;
  await send(flow, [
    release(flow.world, ref, 480),
    pick(flow.world, ref, 540, '90'),
    stage(flow.world, ref, 600),
  ]);
  await drain(flow);
  const s = (await stateOf(flow.db, ref))!;
  expect(s.holds.map((h) => h.reason)).toEqual(['QUANTITY_VARIANCE']);

  return { ref, shipmentId: s.id, holdId: s.holds[0]!.id };
}

async function repick(ref: string, quantity: string) {
  const minute = 700 + ++n;
  await send(flow, [pick(flow.world, ref, minute, quantity, `repick-${ref}-${minute}`)]);
  await drain(flow);

  return (await stateOf(flow.db, ref))!;
}

let supervisor: string;
let approver: string;

beforeAll(async () => {
  flow = await openFlow('ct_test_overrides');
  supervisor = await user('WAREHOUSE_SUPERVISOR', 'MEMBER');
  approver = await user('WAREHOUSE_SUPERVISOR', 'SITE_MANAGER');
});

afterAll(() => closeFlow(flow));

const decide = (requestId: string, deciderId: string, approve = true, note = 'checked') =>
  decideApproval(flow.db, { requestId, deciderId, approve, note });

describe('hold overrides', () => {
  it('needs a rule saying who approves, and a reason', async () => {
    const { holdId } = await shortPicked();
    const ask = { holdId, reason: 'customer accepts 90', userId: supervisor };
    await expect(requestOverride(flow.db, ask)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('No approval rule'),
    });
    await flow.db.approvalRule.create({
      data: {
        name: 'Quantity overrides',
        kind: 'HOLD_OVERRIDE',
        condition: { holdReason: 'QUANTITY_VARIANCE' },
        requiredRole: 'WAREHOUSE_SUPERVISOR',
        requiredLevel: 'SITE_MANAGER',
      },
    });
    await expect(requestOverride(flow.db, { ...ask, reason: '  ' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('lifts the hold as overridden once the right approver approves, and runs the gate again', async () => {
    const { ref, holdId } = await shortPicked();
    const dispatcher = await user('DISPATCHER', 'SITE_MANAGER');
    await expect(
      requestOverride(flow.db, { holdId, reason: 'ok', userId: dispatcher }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const { id } = await requestOverride(flow.db, {
      holdId,
      reason: 'customer accepts 90 on the phone',
      userId: supervisor,
    });
    await expect(
      requestOverride(flow.db, { holdId, reason: 'again', userId: supervisor }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(decide(id, supervisor)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(decide(id, await user('WAREHOUSE_SUPERVISOR', 'TEAM_LEAD'))).rejects.toMatchObject(
      { code: 'FORBIDDEN' },
    );
    await expect(decide(id, await user('BILLING_ANALYST', 'SITE_MANAGER'))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await decide(id, approver)).toEqual({ status: 'APPROVED' });

    const hold = await flow.db.hold.findUniqueOrThrow({ where: { id: holdId } });
    expect(hold.releasedById).toBe(approver);
    await drain(flow);
    const after = (await stateOf(flow.db, ref))!;
    expect(after.readiness).toBe('READY');
    expect(after.holds).toEqual([]);
    const record = after.decisions[0]!.checks as { items: { check: string; inputs: object }[] };
    expect(record.items.find((c) => c.check === 'COMPLETENESS')!.inputs).toMatchObject({
      override: { requestId: id, approvedById: approver },
    });
    const audit = await flow.db.auditLog.findMany({
      where: { entityId: after.id, action: 'hold.overridden' },
    });
    expect(audit).toHaveLength(1);
  });

  it('lapses, holds again and tells the people involved when a later fact changes the findings', async () => {
    const { ref, holdId } = await shortPicked();
    const { id } = await requestOverride(flow.db, {
      holdId,
      reason: 'customer accepts 90',
      userId: supervisor,
    });
    await decide(id, approver);
    await drain(flow);
    expect((await stateOf(flow.db, ref))!.readiness).toBe('READY');

    // The warehouse re-counts: 80, not the 90 the approver agreed to.
    const after = await repick(ref, '80');
    expect(after.readiness).toBe('HELD');
    expect(after.holds.map((h) => h.reason)).toEqual(['QUANTITY_VARIANCE']);
    expect(after.holds[0]!.detail).toContain('override lapsed');
    const request = await flow.db.approvalRequest.findUniqueOrThrow({ where: { id } });
    expect(request.status).toBe('EXPIRED');
    expect(request.detail).toMatchObject({ ended: 'lapsed' });
    const told = await flow.db.notification.findMany({
      where: { approvalRequestId: id, kind: 'APPROVAL_DECIDED' },
    });
    expect(told.map((t) => t.userId).sort()).toEqual([supervisor, supervisor, approver].sort());
    expect(after.exceptions.map((e) => e.type)).toEqual(['QUANTITY_VARIANCE']);
  });

  it('is spent when the check passes by itself, and does not cover a later failure', async () => {
    const { ref, holdId } = await shortPicked();
    const { id } = await requestOverride(flow.db, {
      holdId,
      reason: 'customer accepts 90',
      userId: supervisor,
    });
    await decide(id, approver);
    await drain(flow);
    expect((await repick(ref, '100')).readiness).toBe('READY');
    expect(
      (await flow.db.approvalRequest.findUniqueOrThrow({ where: { id } })).detail,
    ).toMatchObject({ ended: 'spent' });

    // The same short count as the one approved: a new failure, no override left for it.
    const later = await repick(ref, '90');
    expect(later.readiness).toBe('HELD');
    expect(later.holds.map((h) => h.reason)).toEqual(['QUANTITY_VARIANCE']);
  });

  it('is due two business hours later across a weekend, escalates once overdue, and can be asked again after a rejection', async () => {
    const { ref, holdId } = await shortPicked();
    // Friday 2026-12-11 17:00 at the site (open 08:00-18:00 on weekdays).
    const friday = zonedInstant({ year: 2026, month: 12, day: 11 }, 17 * 60, flow.world.timeZone);
    const monday = zonedInstant({ year: 2026, month: 12, day: 14 }, 9 * 60, flow.world.timeZone);
    const { id, dueAt } = await requestOverride(
      flow.db,
      { holdId, reason: 'customer accepts 90', userId: supervisor },
      friday,
    );
    expect(dueAt.toISOString()).toBe(monday.toISOString());
    const job = await flow.db.$queryRaw<{ run_at: Date }[]>`
      SELECT run_at FROM graphile_worker.jobs WHERE key = ${`approval_overdue:${id}`}`;
    expect(job[0]?.run_at.toISOString()).toBe(monday.toISOString());

    const saturday = new Date(friday.getTime() + 24 * 3600_000);
    expect(await escalateOverdueApproval(flow.db, id, saturday)).toBe('not-due');
    const late = new Date(monday.getTime() + 60_000);
    expect(await escalateOverdueApproval(flow.db, id, late)).toBe('escalated');
    const overdue = await flow.db.exception.findFirstOrThrow({
      where: { dedupeKey: `approval:${id}`, status: 'OPEN' },
    });
    expect(overdue.severity).toBe('HIGH');

    await decide(id, approver, false, 'count again first');
    expect((await flow.db.exception.findUniqueOrThrow({ where: { id: overdue.id } })).status).toBe(
      'RESOLVED',
    );
    await drain(flow);
    expect((await stateOf(flow.db, ref))!.holds.map((h) => h.reason)).toEqual([
      'QUANTITY_VARIANCE',
    ]);

    await expect(
      askAgain(flow.db, { requestId: id, reason: '  ', userId: supervisor }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const again = await askAgain(flow.db, {
      requestId: id,
      reason: 'counted twice: 90 it is, customer confirmed in writing',
      userId: supervisor,
    });
    expect(again.id).not.toBe(id);
    await decide(again.id, approver);
    await drain(flow);
    expect((await stateOf(flow.db, ref))!.readiness).toBe('READY');
  });
});
