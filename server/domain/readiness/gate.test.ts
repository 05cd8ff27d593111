import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { decimal } from '../../lib/money';
import { GATE_RULE_VERSION, runGate } from './gate';
import { gateInput, line, paintLine } from './gate-fixtures';
import type { ApprovalRule, GateInput } from './types';

const CHECK_ORDER = ['COMPLETENESS', 'INVENTORY', 'CREDIT', 'DANGEROUS_GOODS', 'ROUTE'];

function failingEverywhere(): GateInput {
  const input = gateInput();

  return {
    ...input,
    lines: [line({ pickedQty: decimal(30), lot: null }), paintLine()],
    customer: { ...input.customer, creditBlocked: true },
    documents: [],
    shipTo: { postalCode: '90210', country: 'US' },
  };
}

describe('runGate()', () => {
  it('passes a ready shipment with every check recorded and the departure planned', () => {
    const d = runGate(gateInput());
    expect(d.outcome).toBe('PASS');
    expect(d.checks.map((c) => c.check)).toEqual(CHECK_ORDER);
    expect(d.holds).toEqual([]);
    expect(d.ruleVersion).toBe(GATE_RULE_VERSION);
    expect(d.plannedDeparture?.departsAt).toEqual(new Date('2026-12-07T23:00:00Z'));
    expect(d).not.toHaveProperty('backorder');
  });

  it('runs every check after a failure and holds once per failed check', () => {
    const d = runGate(failingEverywhere());
    expect(d.outcome).toBe('HOLD');
    expect(d.checks.map((c) => [c.check, c.verdict])).toEqual(CHECK_ORDER.map((c) => [c, 'FAIL']));
    expect(d.holds.map((h) => h.reason)).toEqual([
      'QUANTITY_VARIANCE',
      'INVENTORY_UNCONFIRMED',
      'CREDIT',
      'DANGEROUS_GOODS_DOCUMENT',
      'ROUTE_INELIGIBLE',
    ]);
    expect(d.holds[2]?.detail).toBe('Credit is blocked for this customer');
    expect(d.plannedDeparture).toBeUndefined();
  });

  it('returns the backorder of a partial shipment beside its checks', () => {
    const input = gateInput();
    const d = runGate({
      ...input,
      customer: { ...input.customer, allowsPartial: true },
      lines: [line({ pickedQty: decimal(12) }), paintLine()],
    });
    expect(d.outcome).toBe('PASS');
    expect(d.backorder).toEqual([
      { orderLineId: 'ol-1', skuCode: 'WIDGET', quantity: decimal(12), uom: 'EA' },
    ]);
    expect(d.checks[0]).not.toHaveProperty('backorder');
    expect(d.checks[4]).not.toHaveProperty('plannedDeparture');
  });

  it('keeps the planned departure when another check holds the shipment', () => {
    const input = gateInput();
    const d = runGate({ ...input, documents: [] });
    expect(d.outcome).toBe('HOLD');
    expect(d.plannedDeparture?.serviceDate).toBe('2026-12-07');
  });

  it('records the rule version it was given', () => {
    expect(runGate(gateInput(), { ruleVersion: 'gate-test.1' }).ruleVersion).toBe('gate-test.1');
  });

  it('runs approval rules after the checks and holds for them', () => {
    const seen: string[] = [];
    const bigOrder: ApprovalRule = (input, checks) => {
      seen.push(...checks.map((c) => c.check));

      return {
        check: 'APPROVAL',
        verdict: input.shipment.goodsValue.gt(1000) ? 'FAIL' : 'PASS',
        ownerTeam: 'BILLING',
        inputs: { goodsValue: input.shipment.goodsValue.toString() },
        reason: 'Orders over 1000 need a manager',
        details: [],
      };
    };
    const d = runGate(gateInput(), { approvalRules: [bigOrder] });
    expect(seen).toEqual(CHECK_ORDER);
    expect(d.outcome).toBe('HOLD');
    expect(d.holds).toEqual([
      { reason: 'AWAITING_APPROVAL', detail: 'Orders over 1000 need a manager' },
    ]);
  });
});

describe('runGate() properties', () => {
  const variant = fc.record({
    picked: fc.integer({ min: 0, max: 40 }),
    confirmed: fc.boolean(),
    lot: fc.option(fc.constant('LOT-A'), { nil: null }),
    allowsPartial: fc.boolean(),
    blocked: fc.boolean(),
    limit: fc.integer({ min: 0, max: 20_000 }),
    declared: fc.boolean(),
    postalCode: fc.constantFrom('10001', '07030', '90210'),
    stagedAt: fc.date({
      min: new Date('2026-01-01T00:00:00Z'),
      max: new Date('2027-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
  });

  type Variant = typeof variant extends fc.Arbitrary<infer T> ? T : never;

  function build(v: Variant): GateInput {
    const input = gateInput();

    return {
      ...input,
      shipment: { ...input.shipment, stagedAt: v.stagedAt },
      lines: [
        line({ pickedQty: decimal(v.picked), confirmed: v.confirmed, lot: v.lot }),
        paintLine(),
      ],
      customer: {
        ...input.customer,
        allowsPartial: v.allowsPartial,
        creditBlocked: v.blocked,
        creditLimit: decimal(v.limit),
      },
      documents: v.declared ? input.documents : [],
      shipTo: { postalCode: v.postalCode, country: 'US' },
    };
  }

  it('always returns one JSON-safe result per check and holds exactly for the failures', () => {
    fc.assert(
      fc.property(variant, (v) => {
        const d = runGate(build(v));
        expect(d.checks.map((c) => c.check)).toEqual(CHECK_ORDER);
        const failed = d.checks.filter((c) => c.verdict === 'FAIL');
        expect(d.outcome).toBe(failed.length > 0 ? 'HOLD' : 'PASS');
        expect(d.holds.map((h) => h.reason)).toEqual(failed.map((c) => c.holdReason));
        expect(JSON.parse(JSON.stringify(d.checks))).toEqual(d.checks);
      }),
    );
  });
});
