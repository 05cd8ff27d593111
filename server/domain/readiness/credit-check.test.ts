import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { decimal } from '../../lib/money';
import { checkCredit, creditMargin } from './credit-check';
import { gateInput } from './gate-fixtures';
import type { GateInput } from './types';

function credit(limit: string, parts: [string, string, string], blocked = false): GateInput {
  const input = gateInput();
  const [releasedUnpaid, shippedOrReadyNotInvoiced, thisShipment] = parts.map((p) => decimal(p));

  return {
    ...input,
    customer: { ...input.customer, creditLimit: decimal(limit), creditBlocked: blocked },
    exposure: {
      currency: 'USD',
      releasedUnpaid: releasedUnpaid!,
      shippedOrReadyNotInvoiced: shippedOrReadyNotInvoiced!,
      thisShipment: thisShipment!,
    },
  };
}

describe('checkCredit()', () => {
  it('passes within the limit and shows every part of the exposure', () => {
    const r = checkCredit(gateInput());
    expect(r.verdict).toBe('PASS');
    expect(r.ownerTeam).toBe('BILLING');
    expect(r.inputs).toEqual({
      currency: 'USD',
      creditLimit: '10000.0000',
      creditBlocked: false,
      releasedUnpaid: '2000.0000',
      shippedOrReadyNotInvoiced: '3000.0000',
      thisShipment: '1500.0000',
      exposure: '6500.0000',
      headroom: '3500.0000',
    });
  });

  it('passes when the exposure equals the limit exactly', () => {
    const r = checkCredit(credit('6500.00', ['2000.00', '3000.00', '1500.00']));
    expect(r.verdict).toBe('PASS');
    expect(r.inputs.headroom).toBe('0.0000');
  });

  it('fails a hundredth of a cent over the limit', () => {
    const r = checkCredit(credit('6500.00', ['2000.00', '3000.00', '1500.0001']));
    expect(r).toMatchObject({
      verdict: 'FAIL',
      holdReason: 'CREDIT',
      exceptionType: 'CREDIT_HOLD',
    });
    expect(r.reason).toBe('Exposure 6500.0001 USD exceeds the credit limit 6500.0000 by 0.0001');
  });

  it('fails when this shipment alone takes the customer over', () => {
    expect(checkCredit(credit('1000', ['0', '0', '1000.01'])).verdict).toBe('FAIL');
  });

  it('fails a blocked customer whatever the headroom', () => {
    const r = checkCredit(credit('1000000', ['0', '0', '1'], true));
    expect(r.verdict).toBe('FAIL');
    expect(r.reason).toBe('Credit is blocked for this customer');
    expect(r.inputs.creditBlocked).toBe(true);
  });

  it('refuses to compare an exposure in another currency', () => {
    const input = gateInput();
    const r = checkCredit({ ...input, exposure: { ...input.exposure, currency: 'EUR' } });
    expect(r.verdict).toBe('FAIL');
    expect(r.reason).toBe('Exposure is in EUR, the credit limit in USD');
    expect(r.inputs).not.toHaveProperty('exposure');
  });

  it('passes exactly when limit >= the sum of the parts, each counted once', () => {
    const cents = fc.integer({ min: 0, max: 10_000_000 });
    fc.assert(
      fc.property(cents, cents, cents, cents, (limit, a, b, c) => {
        const text = (n: number) => decimal(n).dividedBy(100).toFixed(2);
        const r = checkCredit(credit(text(limit), [text(a), text(b), text(c)]));
        expect(r.verdict).toBe(a + b + c <= limit ? 'PASS' : 'FAIL');
        expect(decimal(String(r.inputs.exposure)).equals(decimal(a + b + c).dividedBy(100))).toBe(
          true,
        );
      }),
    );
  });
});

describe('creditMargin()', () => {
  it('is the headroom: how far the exposure may grow before the verdict changes', () => {
    expect(creditMargin(credit('6500', ['2000', '3000', '1500']))?.toString()).toBe('0');
    expect(creditMargin(credit('1000', ['0', '0', '1000.01']))?.toString()).toBe('-0.01');
  });

  it('is none where the verdict does not read the exposure', () => {
    expect(creditMargin(credit('1000000', ['0', '0', '1'], true))).toBeNull();
    const input = gateInput();
    expect(creditMargin({ ...input, exposure: { ...input.exposure, currency: 'EUR' } })).toBeNull();
  });

  it('keeps the verdict for every move within it, and changes it just past it', () => {
    const cents = fc.integer({ min: 0, max: 1_000_000 });
    const move = fc.integer({ min: -1_000_000, max: 1_000_000 });
    const text = (n: number) => decimal(n).dividedBy(100).toFixed(2);
    fc.assert(
      fc.property(cents, cents, cents, cents, move, (limit, a, b, c, m) => {
        const input = credit(text(limit), [text(a), text(b), text(c)]);
        const margin = creditMargin(input)!;
        const moved = credit(text(limit), [text(a), text(b + m), text(c)]);
        const verdict = checkCredit(input).verdict;
        const stands =
          verdict === 'PASS' ? decimal(m).lte(margin.times(100)) : decimal(m).gt(margin.times(100));
        expect(checkCredit(moved).verdict === verdict).toBe(stands);
      }),
    );
  });
});
