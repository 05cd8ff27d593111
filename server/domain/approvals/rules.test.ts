import { describe, expect, it } from 'vitest';
import { gateInput } from '../readiness/gate-fixtures';
import { runGate } from '../readiness/gate';
import { gateRules, levelAtLeast, type RequestState, type StoredRule } from './rules';

// The fixture is 1200.00 of goods with 10 base units of class-3 paint (UN1263).

const rule = (overrides: Partial<StoredRule>): StoredRule => ({
  id: 'r-1',
  name: 'Rule',
  kind: 'GOODS_VALUE',
  condition: { minValue: '1000' },
  requiredRole: 'WAREHOUSE_SUPERVISOR',
  requiredLevel: 'TEAM_LEAD',
  ...overrides,
});

function approval(r: StoredRule, request?: RequestState) {
  const hooks = gateRules([r], new Map(request ? [[r.id, request]] : []));

  return runGate(gateInput(), { approvalRules: hooks }).checks.at(-1)!;
}

describe('approval rules', () => {
  it.each([
    [{ kind: 'GOODS_VALUE', condition: { minValue: '1000' } }, 'FAIL'],
    [{ kind: 'GOODS_VALUE', condition: { minValue: '1200.00' } }, 'PASS'],
    [{ kind: 'DANGEROUS_GOODS', condition: { maxQuantity: 5 } }, 'FAIL'],
    [{ kind: 'DANGEROUS_GOODS', condition: { maxQuantity: '5', dgClass: '8' } }, 'PASS'],
    [{ kind: 'DANGEROUS_GOODS', condition: { maxQuantity: '10', dgClass: '3' } }, 'PASS'],
  ] as const)('%j without a request: %s', (overrides, verdict) => {
    expect(approval(rule(overrides)).verdict).toBe(verdict);
  });

  it('holds as awaiting approval, owned by the approving role’s team, until approved', () => {
    expect(approval(rule({}))).toMatchObject({
      check: 'APPROVAL',
      holdReason: 'AWAITING_APPROVAL',
      exceptionType: 'APPROVAL_REQUIRED',
      ownerTeam: 'WAREHOUSE',
    });
    expect(approval(rule({}), { status: 'APPROVED', decisionNote: null }).verdict).toBe('PASS');
    expect(approval(rule({}), { status: 'REJECTED', decisionNote: 'no' }).reason).toContain('no');
  });

  it('orders levels MEMBER < TEAM_LEAD < SITE_MANAGER', () => {
    expect(levelAtLeast('SITE_MANAGER', 'TEAM_LEAD')).toBe(true);
    expect(levelAtLeast('MEMBER', 'TEAM_LEAD')).toBe(false);
  });
});
