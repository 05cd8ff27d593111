import type { AdapterWarning, MappingContext, Unresolved } from '../types';
import { el, where } from './segments';
import { SetMapping } from './set-mapping';
import type { TransactionSet } from './structure';
import { isoDate, x12Date } from './x12-time';

// 990 response to a load tender -> the carrier's answer to our 204.
//   B1   B101 SCAC, B102 shipment identification number (the B204 we tendered), B103 date,
//        B104 reservation action code: A accepted, D cancelled (declined)
//   N9   references; K1 remarks (a decline's reason in words)

export type TenderDecision = 'ACCEPTED' | 'DECLINED' | 'UNKNOWN';

export interface TenderResponse {
  shipmentRef: string;
  carrierScac: string;
  carrierCode: string | null;
  decision: TenderDecision;
  date: string | null;
  references: { qualifier: string; value: string }[];
  remarks: string[];
}

export interface Map990Result {
  response: TenderResponse | null;
  unresolved: Unresolved[];
  warnings: AdapterWarning[];
}

const DECISIONS: Record<string, TenderDecision> = { A: 'ACCEPTED', D: 'DECLINED' };

export function map990(set: TransactionSet, context: MappingContext): Map990Result {
  const m = new SetMapping(set, context);
  const b1 = m.first('B1');
  if (!b1 || !el(b1, 2)) {
    m.warn('MISSING_REQUIRED', 'no B102 shipment identification number', 'B1');
    return { response: null, unresolved: [], warnings: m.warnings };
  }
  const decision = DECISIONS[el(b1, 4)] ?? 'UNKNOWN';
  if (decision === 'UNKNOWN') {
    m.warn(
      'NOT_MAPPED',
      `B104 "${el(b1, 4)}" is neither A (accepted) nor D (declined)`,
      where(b1, 4),
    );
  }
  const scac = el(b1, 1);
  const carrierCode = scac ? m.refs.carrier(scac) : null;
  if (!carrierCode) m.refs.miss('CARRIER', scac || '(no B101 SCAC)', where(b1, 1), []);
  const date = x12Date(el(b1, 3));

  return {
    response: {
      shipmentRef: el(b1, 2),
      carrierScac: scac,
      carrierCode,
      decision,
      date: date ? isoDate(date) : null,
      references: m.all('N9').map((n9) => ({ qualifier: el(n9, 1), value: el(n9, 2) })),
      remarks: m.all('K1').map((k1) => [el(k1, 1), el(k1, 2)].filter(Boolean).join(' ')),
    },
    unresolved: m.refs.unresolved,
    warnings: m.warnings,
  };
}
