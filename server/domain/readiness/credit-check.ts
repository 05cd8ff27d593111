// Credit: would shipping this take the customer past its credit limit? Exposure is what the
// customer owes or will owe: released unpaid invoices, shipped-or-ready work not yet invoiced,
// and this shipment's expected value. The service sums each part; the check adds them once and
// shows every part in the decision record.
import {
  compareMoney,
  moneyOf,
  sumMoney,
  toStorage,
  type Decimal,
  type Money,
} from '../../lib/money';
import type { CheckResult, GateInput } from './types';

const FAIL = { holdReason: 'CREDIT', exceptionType: 'CREDIT_HOLD' } as const;

interface ExposureParts {
  releasedUnpaid: Money;
  shippedOrReadyNotInvoiced: Money;
  thisShipment: Money;
}

function exposureParts(input: GateInput): ExposureParts {
  const { currency, releasedUnpaid, shippedOrReadyNotInvoiced, thisShipment } = input.exposure;

  return {
    releasedUnpaid: moneyOf(releasedUnpaid, currency),
    shippedOrReadyNotInvoiced: moneyOf(shippedOrReadyNotInvoiced, currency),
    thisShipment: moneyOf(thisShipment, currency),
  };
}

/**
 * Exposure equal to the limit passes: the limit is the most the customer may owe, so owing
 * exactly that is within it. A blocked customer fails whatever the headroom.
 */
export function checkCredit(input: GateInput): CheckResult {
  const { customer } = input;
  const limit = moneyOf(customer.creditLimit, customer.currency);
  const parts = exposureParts(input);
  const partsText = Object.fromEntries(
    Object.entries(parts).map(([k, m]) => [k, toStorage(m.amount)]),
  );
  const base = {
    check: 'CREDIT' as const,
    ownerTeam: 'BILLING' as const,
    details: [],
  };
  const inputs = {
    currency: limit.currency,
    creditLimit: toStorage(limit.amount),
    creditBlocked: customer.creditBlocked,
    ...partsText,
  };

  // Comparing across currencies needs an exchange rate the check does not have; refusing is
  // safer than comparing numbers in different units.
  if (parts.thisShipment.currency !== limit.currency) {
    const reason = `Exposure is in ${input.exposure.currency}, the credit limit in ${limit.currency}`;

    return { ...base, verdict: 'FAIL', ...FAIL, inputs, reason };
  }

  const exposure = sumMoney(Object.values(parts), limit.currency);
  const headroom = limit.amount.minus(exposure.amount);
  const withTotals = {
    ...inputs,
    exposure: toStorage(exposure.amount),
    headroom: toStorage(headroom),
  };
  if (customer.creditBlocked) {
    const reason = 'Credit is blocked for this customer';

    return { ...base, verdict: 'FAIL', ...FAIL, inputs: withTotals, reason };
  }
  if (compareMoney(exposure, limit) > 0) {
    const reason = `Exposure ${toStorage(exposure.amount)} ${limit.currency} exceeds the credit limit ${toStorage(limit.amount)} by ${toStorage(headroom.negated())}`;

    return { ...base, verdict: 'FAIL', ...FAIL, inputs: withTotals, reason };
  }

  const reason = `Exposure ${toStorage(exposure.amount)} ${limit.currency} is within the credit limit ${toStorage(limit.amount)}`;

  return { ...base, verdict: 'PASS', inputs: withTotals, reason };
}

/**
 * How far the exposure may move (by more decisions, invoices, payments of the customer made
 * meanwhile) before the credit verdict on `input` would change: the verdict stands for a move
 * `m` with m <= margin while it passes, m > margin while it fails, margin being the limit less
 * the exposure. Null where the verdict does not depend on the exposure (a blocked customer, an
 * exposure in another currency). Decisions made on an exposure read before the customer's
 * credit lock are confirmed with it under the lock (readiness/credit-confirm.ts).
 */
export function creditMargin(input: GateInput): Decimal | null {
  const { customer } = input;
  if (customer.creditBlocked || input.exposure.currency !== customer.currency) return null;
  const parts = exposureParts(input);

  return customer.creditLimit.minus(sumMoney(Object.values(parts), customer.currency).amount);
}
