import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role, UserLevel } from '../../server/db/generated/enums';
import { decideApproval } from '../../server/domain/approvals/decide';
import { escalateOverdueApproval } from '../../server/domain/approvals/overdue';
import { askAgain } from '../../server/domain/approvals/re-request';
import { approvalDueAt } from '../../server/domain/approvals/due';
import { loadSiteCalendar } from '../../server/domain/sla/calendar';
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

// Approvals end to end on real PostgreSQL and the real queue: a value rule holds a shipment as
// awaiting approval with one pending request, only the right approver can decide it, the
// approval re-runs the gate, and a request nobody decides in time escalates.

let flow: Flow;
let n = 0;
const nextRef = () => `APR-${flow.world.suffix}-${++n}`;

async function user(role: Role, level: UserLevel, atSite = true): Promise<string> {
  const row = await flow.db.user.create({
    data: {
      email: `${role}-${level}-${flow.world.suffix}-${++n}@example.test`.toLowerCase(),
      name: `${role} ${level}`,
      passwordHash: 'x',
      role,
      level,
      teamId: flow.world.teamIds.WAREHOUSE,
    },
  });
  if (atSite)
    await flow.db.userSite.create({ data: { userId: row.id, siteId: flow.world.siteId } });

  return row.id;
}

async function heldShipment() {
  const ref = nextRef();
  await send(flow, [
    release(flow.world, ref, 480),
    pick(flow.world, ref, 540),
    stage(flow.world, ref, 600),
  ]);
  await drain(flow);
  const s = await stateOf(flow.db, ref);
  const requests = await flow.db.approvalRequest.findMany({ where: { shipmentId: s!.id } });

  return { ref, s, requests };
}

beforeAll(async () => {
  flow = await openFlow('ct_test_approvals');
  // The world's orders are 100 x 10.00 = 1000.00 of goods.
  await flow.db.approvalRule.create({
    data: {
      name: 'Goods over 500',
      kind: 'GOODS_VALUE',
      condition: { minValue: '500' },
      requiredRole: 'WAREHOUSE_SUPERVISOR',
      requiredLevel: 'TEAM_LEAD',
    },
  });
});

afterAll(() => closeFlow(flow));

describe('approval rules in the readiness gate', () => {
  it('holds a shipment over the value rule until the right approver approves it', async () => {
    const { ref, s, requests } = await heldShipment();
    expect(s?.readiness).toBe('HELD');
    expect(s?.holds.map((h) => h.reason)).toEqual(['AWAITING_APPROVAL']);
    expect(s?.exceptions.map((e) => `${e.type}:${e.ownerTeam}`)).toEqual([
      'APPROVAL_REQUIRED:WAREHOUSE',
    ]);
    expect(requests.map((r) => r.status)).toEqual(['PENDING']);
    const request = requests[0]!;

    // A user-raised request: its requester may not decide it, whatever their level.
    const requester = await user('WAREHOUSE_SUPERVISOR', 'SITE_MANAGER');
    await flow.db.approvalRequest.update({
      where: { id: request.id },
      data: { requestedById: requester },
    });
    const decide = (deciderId: string) =>
      decideApproval(flow.db, { requestId: request.id, deciderId, approve: true, note: 'ok' });
    await expect(decide(requester)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(decide(await user('WAREHOUSE_SUPERVISOR', 'MEMBER'))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(decide(await user('DISPATCHER', 'SITE_MANAGER'))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });

    const elsewhere = await user('WAREHOUSE_SUPERVISOR', 'SITE_MANAGER', false);
    await expect(decide(elsewhere)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const approver = await user('WAREHOUSE_SUPERVISOR', 'TEAM_LEAD');
    expect(await decide(approver)).toEqual({ status: 'APPROVED' });
    await expect(decide(approver)).rejects.toMatchObject({ code: 'CONFLICT' });
    await drain(flow);

    const after = await stateOf(flow.db, ref);
    expect(after?.readiness).toBe('READY');
    expect(after?.holds).toEqual([]);
    expect(after?.exceptions).toEqual([]);
    expect(await flow.db.approvalRequest.count({ where: { shipmentId: after!.id } })).toBe(1);
    const audit = await flow.db.auditLog.findMany({
      where: { entityId: request.id },
      orderBy: { seq: 'asc' },
    });
    expect(audit.map((a) => a.action)).toEqual(['approval.requested', 'approval.approved']);
  });

  it('keeps the hold with the reason when the approver rejects', async () => {
    const { ref, requests } = await heldShipment();
    const approver = await user('WAREHOUSE_SUPERVISOR', 'SITE_MANAGER');
    await decideApproval(flow.db, {
      requestId: requests[0]!.id,
      deciderId: approver,
      approve: false,
      note: 'customer has not confirmed insurance',
    });
    await drain(flow);

    const after = await stateOf(flow.db, ref);
    expect(after?.readiness).toBe('HELD');
    expect(after?.holds[0]?.detail).toContain('customer has not confirmed insurance');
    expect(await flow.db.approvalRequest.count({ where: { shipmentId: after!.id } })).toBe(1);

    // Asked again with a new reason: a new request, awaiting approval, not decidable by its asker.
    const asker = await user('WAREHOUSE_SUPERVISOR', 'SITE_MANAGER');
    const again = await askAgain(flow.db, {
      requestId: requests[0]!.id,
      reason: 'insurance certificate received',
      userId: asker,
    });
    await drain(flow);
    const waiting = await stateOf(flow.db, ref);
    expect(waiting?.holds[0]?.detail).toContain('awaiting approval');
    await expect(
      decideApproval(flow.db, { requestId: again.id, deciderId: asker, approve: true, note: '' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await decideApproval(flow.db, {
      requestId: again.id,
      deciderId: approver,
      approve: true,
      note: 'certificate checked',
    });
    await drain(flow);
    expect((await stateOf(flow.db, ref))?.readiness).toBe('READY');
  });

  it('is due two business hours after it was raised, in the site calendar', async () => {
    const { requests } = await heldShipment();
    const request = requests[0]!;
    const calendar = await loadSiteCalendar(flow.db, flow.world.siteId);
    expect(request.dueAt.toISOString()).toBe(
      approvalDueAt(calendar.spec, request.createdAt).toISOString(),
    );
  });

  it('escalates a request not decided in time, once, and keeps it pending', async () => {
    const { s, requests } = await heldShipment();
    const request = requests[0]!;
    const approver = await user('WAREHOUSE_SUPERVISOR', 'TEAM_LEAD');
    const member = await user('WAREHOUSE_SUPERVISOR', 'MEMBER');
    const job = await flow.db.$queryRaw<{ run_at: Date }[]>`
      SELECT run_at FROM graphile_worker.jobs WHERE key = ${`approval_overdue:${request.id}`}`;
    expect(job[0]?.run_at.getTime()).toBe(request.dueAt.getTime());

    expect(await escalateOverdueApproval(flow.db, request.id)).toBe('not-due');
    const late = new Date(request.dueAt.getTime() + 60_000);
    expect(await escalateOverdueApproval(flow.db, request.id, late)).toBe('escalated');
    expect(await escalateOverdueApproval(flow.db, request.id, late)).toBe('already-escalated');

    const exception = await flow.db.exception.findFirstOrThrow({
      where: { shipmentId: s!.id, type: 'APPROVAL_REQUIRED', status: 'OPEN' },
    });
    expect(exception.severity).toBe('HIGH');
    expect(exception.escalatedAt).not.toBeNull();
    const after = await flow.db.approvalRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(after.status).toBe('PENDING');
    const told = await flow.db.notification.findMany({ where: { approvalRequestId: request.id } });
    const escalatedTo = told.filter((t) => t.kind === 'APPROVAL_ESCALATED').map((t) => t.userId);
    expect(escalatedTo).toContain(approver);
    expect(escalatedTo).not.toContain(member);
  });
});
