import { describe, expect, it } from 'vitest';
import { decimal } from '../../lib/money';
import { runGate } from './gate';
import { gateInput } from './gate-fixtures';
import { applyOverrides, findingsOf, type StandingOverride } from './overrides';
import type { GateInput } from './types';

// Credit exposure of the fixture is 2000 + 3000 + 1500 = 6500.00 against a 10000.00 limit.

function overLimit(limit: string): GateInput {
  const input = gateInput();

  return { ...input, customer: { ...input.customer, creditLimit: decimal(limit) } };
}

function overrideOf(input: GateInput): StandingOverride {
  const credit = runGate(input).checks.find((c) => c.check === 'CREDIT')!;
  expect(credit.verdict).toBe('FAIL');

  return {
    requestId: 'req-1',
    holdReason: 'CREDIT',
    findings: findingsOf(credit),
    approvedById: 'u-approver',
    reason: 'customer paid by wire, remittance on file',
  };
}

describe('hold overrides in the gate', () => {
  it('passes the overridden check while its findings stand, and says so in the record', () => {
    const input = overLimit('6000.00');
    const { decision, outcomes } = applyOverrides(runGate(input), [overrideOf(input)]);

    expect(decision.outcome).toBe('PASS');
    expect(decision.holds).toEqual([]);
    const credit = decision.checks.find((c) => c.check === 'CREDIT')!;
    expect(credit.verdict).toBe('PASS');
    expect(credit.inputs.override).toMatchObject({
      requestId: 'req-1',
      approvedById: 'u-approver',
    });
    expect(credit.reason).toContain('overridden: customer paid by wire');
    expect(outcomes).toEqual([{ requestId: 'req-1', state: 'applied' }]);
  });

  it('lapses when a later fact changes what the check found, and holds again', () => {
    const override = overrideOf(overLimit('6000.00'));
    // More unpaid invoices since the approval: the exposure the approver saw is not this one.
    const later = overLimit('6000.00');
    later.exposure = { ...later.exposure, releasedUnpaid: decimal('2600.00') };
    const { decision, outcomes } = applyOverrides(runGate(later), [override]);

    expect(decision.outcome).toBe('HOLD');
    expect(decision.holds.map((h) => h.reason)).toEqual(['CREDIT']);
    expect(decision.holds[0]!.detail).toContain('override lapsed');
    expect(outcomes).toEqual([{ requestId: 'req-1', state: 'lapsed' }]);
  });

  it('is spent once the check passes by itself', () => {
    const override = overrideOf(overLimit('6000.00'));
    const { decision, outcomes } = applyOverrides(runGate(overLimit('7000.00')), [override]);

    expect(decision.outcome).toBe('PASS');
    expect(decision.checks.find((c) => c.check === 'CREDIT')!.inputs.override).toBeUndefined();
    expect(outcomes).toEqual([{ requestId: 'req-1', state: 'spent' }]);
  });

  it('never lifts another check’s hold', () => {
    const input = overLimit('6000.00');
    input.documents = [];
    const { decision } = applyOverrides(runGate(input), [overrideOf(overLimit('6000.00'))]);

    expect(decision.outcome).toBe('HOLD');
    expect(decision.holds.map((h) => h.reason)).toEqual(['DANGEROUS_GOODS_DOCUMENT']);
  });

  it('leaves a decision without overrides as the gate made it', () => {
    const gated = runGate(overLimit('6000.00'));
    expect(applyOverrides(gated, []).decision).toBe(gated);
  });
});
