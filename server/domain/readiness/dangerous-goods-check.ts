// Dangerous goods: no DG line leaves without its dangerous-goods declaration. A declaration
// covers the line it names, or the whole shipment when it names none. Voided documents count
// for nothing.
import type { CheckResult, GateDocument, GateInput, GateLine, LineDetail } from './types';

export function isDangerousLine(line: GateLine): boolean {
  return Boolean(line.sku.unNumber?.trim());
}

function declarations(documents: readonly GateDocument[]): GateDocument[] {
  return documents.filter((d) => d.kind === 'DANGEROUS_GOODS_DECLARATION' && !d.voidedAt);
}

function lineDetail(line: GateLine, declared: readonly GateDocument[]): LineDetail {
  const own = declared.some((d) => d.orderLineId === line.orderLineId);
  const whole = declared.some((d) => d.orderLineId === null);
  const covered = own || whole;

  return {
    orderLineId: line.orderLineId,
    skuCode: line.sku.code,
    ok: covered,
    note: covered
      ? `declared (${own ? 'line' : 'whole-shipment'} declaration)`
      : `no dangerous-goods declaration for ${line.sku.unNumber}`,
    values: { unNumber: line.sku.unNumber, hazardClass: line.sku.hazardClass, covered },
  };
}

export function checkDangerousGoods(input: GateInput): CheckResult {
  const declared = declarations(input.documents);
  const details = input.lines.filter(isDangerousLine).map((l) => lineDetail(l, declared));
  // A shipment flagged DG with no DG SKU on it (declared by the shipper, not by the catalogue)
  // still needs a declaration, and only a whole-shipment one can cover it.
  const flaggedOnly = input.shipment.dangerousGoods && details.length === 0;
  const flagCovered = declared.some((d) => d.orderLineId === null);
  const failures = details.filter((d) => !d.ok);
  const pass = failures.length === 0 && (!flaggedOnly || flagCovered);

  let reason = `All ${details.length} dangerous-goods lines have a declaration`;
  if (details.length === 0 && !flaggedOnly) reason = 'No dangerous goods on the shipment';
  if (flaggedOnly) {
    reason = flagCovered
      ? 'Shipment flagged as dangerous goods; covered by a whole-shipment declaration'
      : 'Shipment flagged as dangerous goods but has no whole-shipment declaration';
  }
  if (failures.length > 0) reason = failures.map((d) => `${d.skuCode}: ${d.note}`).join('; ');

  return {
    check: 'DANGEROUS_GOODS',
    verdict: pass ? 'PASS' : 'FAIL',
    ...(pass
      ? {}
      : ({ holdReason: 'DANGEROUS_GOODS_DOCUMENT', exceptionType: 'MISSING_DOCUMENT' } as const)),
    ownerTeam: 'WAREHOUSE',
    inputs: {
      flaggedDangerousGoods: input.shipment.dangerousGoods,
      dangerousLineCount: details.length,
      declarationCount: declared.length,
    },
    reason,
    details,
  };
}
