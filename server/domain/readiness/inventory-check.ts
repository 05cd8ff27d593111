// Inventory: is every picked line a confirmed fact? A pick counts once the warehouse confirmed
// it with the lot and the location it came from (traceability for recalls) and no QC failure
// stands against it. Lines with nothing picked have nothing to confirm; completeness judges them.
import { decimal } from '../../lib/money';
import type { CheckResult, GateInput, GateLine, LineDetail } from './types';

function missingFacts(line: GateLine): string[] {
  const missing: string[] = [];
  if (!line.confirmed) missing.push('pick not confirmed');
  if (!line.lot?.trim()) missing.push('no lot');
  if (!line.location?.trim()) missing.push('no location');
  if (line.qcFailed) missing.push('open QC failure');

  return missing;
}

function lineDetail(line: GateLine): LineDetail {
  const missing = missingFacts(line);

  return {
    orderLineId: line.orderLineId,
    skuCode: line.sku.code,
    ok: missing.length === 0,
    note: missing.length === 0 ? 'confirmed' : missing.join(', '),
    values: {
      pickedBase: decimal(line.pickedQty).toString(),
      lot: line.lot,
      location: line.location,
      confirmed: line.confirmed,
      qcFailed: line.qcFailed,
    },
  };
}

export function checkInventory(input: GateInput): CheckResult {
  const picked = input.lines.filter((l) => decimal(l.pickedQty).gt(0));
  const details = picked.map(lineDetail);
  const failures = details.filter((d) => !d.ok);
  const pass = failures.length === 0;
  const reason = pass
    ? `All ${details.length} picked line${details.length === 1 ? '' : 's'} confirmed with lot and location`
    : failures.map((d) => `${d.skuCode}: ${d.note}`).join('; ');

  return {
    check: 'INVENTORY',
    verdict: pass ? 'PASS' : 'FAIL',
    ...(pass
      ? {}
      : ({ holdReason: 'INVENTORY_UNCONFIRMED', exceptionType: 'INVENTORY_UNCONFIRMED' } as const)),
    ownerTeam: 'WAREHOUSE',
    inputs: { pickedLineCount: details.length, unconfirmedLineCount: failures.length },
    reason,
    details,
  };
}
