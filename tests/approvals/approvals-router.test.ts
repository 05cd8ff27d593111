import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role, UserLevel } from '../../server/db/generated/enums';
import { createCaller } from '../../server/api/root';
import type { Context } from '../../server/api/trpc';
import type { SessionUser } from '../../server/domain/users/types';
import { logger } from '../../server/lib/logger';
import {
  closeFlow,
  drain,
  openFlow,
  pick,
  release,
  send,
  stage,
  type Flow,
} from '../main-flow/flow-helpers';

// The approvals procedures: admins alone manage rules, the pending list shows only what the user
// may decide, and a decision through the procedure re-runs the gate.

let flow: Flow;

async function signedIn(role: Role, level: UserLevel): Promise<SessionUser> {
  const row = await flow.db.user.create({
    data: { email: `${randomUUID()}@example.test`, name: role, passwordHash: 'x', role, level },
  });
  await flow.db.userSite.create({ data: { userId: row.id, siteId: flow.world.siteId } });

  return { ...row, allSites: false, siteIds: [flow.world.siteId] };
}

function callerAs(user: SessionUser) {
  const context: Context = { db: flow.db, user, requestId: randomUUID(), log: logger('test') };

  return createCaller(context);
}

beforeAll(async () => {
  flow = await openFlow('ct_test_approvals_router');
});

afterAll(() => closeFlow(flow));

describe('approvals router', () => {
  it('lets only admins manage rules, and a lead decide through the procedure', async () => {
    const admin = callerAs(await signedIn('ADMIN', 'SITE_MANAGER'));
    const member = callerAs(await signedIn('WAREHOUSE_SUPERVISOR', 'MEMBER'));
    const lead = callerAs(await signedIn('WAREHOUSE_SUPERVISOR', 'TEAM_LEAD'));
    const rule = {
      kind: 'GOODS_VALUE' as const,
      name: 'Goods over 999.99',
      condition: { minValue: '999.99' },
      requiredRole: 'WAREHOUSE_SUPERVISOR' as const,
      requiredLevel: 'TEAM_LEAD' as const,
    };
    await expect(member.approvals.createRule(rule)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const created = await admin.approvals.createRule(rule);
    expect((await admin.approvals.rules()).map((r) => r.id)).toEqual([created.id]);

    const ref = `RTR-${flow.world.suffix}`;
    await send(flow, [
      release(flow.world, ref, 480),
      pick(flow.world, ref, 540),
      stage(flow.world, ref, 600),
    ]);
    await drain(flow);
    expect(await member.approvals.pending()).toEqual([]);
    const [pending] = await lead.approvals.pending();
    expect(pending?.shipment?.ref).toBe(ref);

    await expect(
      lead.approvals.decide({ requestId: pending!.id, approve: false, note: '  ' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await lead.approvals.decide({ requestId: pending!.id, approve: true, note: 'checked' });
    await drain(flow);
    const shipment = await flow.db.shipment.findFirstOrThrow({ where: { order: { ref } } });
    expect(shipment.readiness).toBe('READY');

    await admin.approvals.deactivateRule({ id: created.id });
    await expect(admin.approvals.deactivateRule({ id: created.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('lets supervisors ask for overrides through the procedure, and billing analysts alone adjust', async () => {
    const executive = callerAs(await signedIn('EXECUTIVE', 'SITE_MANAGER'));
    const supervisor = callerAs(await signedIn('WAREHOUSE_SUPERVISOR', 'MEMBER'));
    const manager = callerAs(await signedIn('WAREHOUSE_SUPERVISOR', 'SITE_MANAGER'));
    const admin = callerAs(await signedIn('ADMIN', 'SITE_MANAGER'));
    await admin.approvals.createRule({
      kind: 'HOLD_OVERRIDE',
      name: 'Any gate hold',
      condition: {},
      requiredRole: 'WAREHOUSE_SUPERVISOR',
      requiredLevel: 'SITE_MANAGER',
    });
    const ref = `OVR-${flow.world.suffix}`;
    await send(flow, [
      release(flow.world, ref, 480),
      pick(flow.world, ref, 540, '90'),
      stage(flow.world, ref, 600),
    ]);
    await drain(flow);

    const { holds } = await supervisor.approvals.overridableHolds({ ref });
    expect(holds.map((h) => h.reason)).toEqual(['QUANTITY_VARIANCE']);
    const holdId = holds[0]!.id;
    await expect(
      executive.approvals.requestOverride({ holdId, reason: 'ship it' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      supervisor.approvals.requestOverride({ holdId, reason: ' ' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await supervisor.approvals.requestOverride({ holdId, reason: 'customer accepts 90' });
    expect((await supervisor.approvals.overridableHolds({ ref })).holds[0]!.pending).not.toBeNull();
    expect(await supervisor.approvals.pending()).toEqual([]);
    const [waiting] = await manager.approvals.pending();
    expect(waiting).toMatchObject({ kind: 'HOLD_OVERRIDE', shipment: { ref } });
    await manager.approvals.decide({ requestId: waiting!.id, approve: true, note: 'ok' });
    await drain(flow);
    const shipment = await flow.db.shipment.findFirstOrThrow({ where: { order: { ref } } });
    expect(shipment.readiness).toBe('READY');

    await expect(
      supervisor.approvals.adjustCharge({ chargeId: randomUUID(), newAmount: '1', reason: 'x' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(supervisor.approvals.charges({ ref })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});
