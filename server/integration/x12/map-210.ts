import { Decimal } from '../../lib/money';
import type { AdapterWarning, MappingContext, Unresolved } from '../types';
import { decimalOf, el, impliedDecimal, where, type SetSegment } from './segments';
import { SetMapping } from './set-mapping';
import type { TransactionSet } from './structure';
import { isoDate, x12Date } from './x12-time';

// 210 motor carrier freight invoice -> the carrier's invoice with its charge lines (not a
// canonical event: settlement against expected cost comes later).
//   B3    B302 invoice number, B303 shipment identification number, B306 invoice date,
//         B307 net amount due, B311 SCAC
//   C3    C301 currency
//   N9    header and line references: BM bill of lading, SI shipper's id, PO, CN carrier's
//         reference (PRO / tracking number), CR customer reference, WY waybill
//   L1    L101 line, L102 rate, L103 rate qualifier, L104 charge, L108 special charge code,
//         L112 charge description
//   L3    L305 total charge
// Money: L104, L305 (element 58, Charge) and B307 (element 193, Net Amount Due) are type N2, two
// implied decimals, so "12740" is 127.40 and "-1274" is -12.74. L102 (element 60) is type R and
// carries its own point. An L1 without L108 is the line-haul freight charge (code 400).

export interface InvoiceCharge {
  lineNo: number | null;
  code: string;
  description: string | null;
  amount: string;
  rate: string | null;
  rateQualifier: string | null;
}

export interface CarrierInvoice {
  invoiceNumber: string;
  carrierScac: string;
  /** Our carrier code, or null while the SCAC is unmapped (then also in `unresolved`). */
  carrierCode: string | null;
  invoiceDate: string | null;
  shipmentRefs: string[];
  currency: string | null;
  charges: InvoiceCharge[];
  /** L305; the sum of the charges when the invoice has no L3. */
  total: string;
  netAmountDue: string | null;
}

export interface Map210Result {
  invoice: CarrierInvoice | null;
  unresolved: Unresolved[];
  warnings: AdapterWarning[];
}

const REF_QUALIFIERS = new Set(['BM', 'SI', 'PO', 'CN', 'CR', 'WY']);

/** Element 150 codes whose meaning is fixed by the standard; others keep L112 or none. */
const CHARGE_NAMES: Record<string, string> = {
  '400': 'Freight',
  FUE: 'Fuel surcharge',
  GST: 'Goods and services tax',
  TAX: 'Tax',
};

function charge(m: SetMapping, l1: SetSegment): InvoiceCharge | null {
  const amount = impliedDecimal(el(l1, 4), 2);
  if (amount === null) {
    m.warn('MISSING_REQUIRED', `no readable charge: "${el(l1, 4)}"`, where(l1, 4));
    return null;
  }
  const code = el(l1, 8) || '400';
  const line = Number(el(l1, 1));

  return {
    lineNo: Number.isSafeInteger(line) && line > 0 ? line : null,
    code,
    description: el(l1, 12) || CHARGE_NAMES[code] || null,
    amount,
    rate: decimalOf(el(l1, 2)),
    rateQualifier: el(l1, 3) || null,
  };
}

function shipmentRefs(m: SetMapping): string[] {
  const refs = [el(m.first('B3'), 3)];
  for (const n9 of m.all('N9')) if (REF_QUALIFIERS.has(el(n9, 1))) refs.push(el(n9, 2));

  return [...new Set(refs.filter(Boolean))];
}

function checkTotals(
  m: SetMapping,
  charges: InvoiceCharge[],
  total: string | null,
  net: string | null,
) {
  const sum = charges.reduce((acc, c) => acc.plus(c.amount), new Decimal(0)).toFixed(2);
  if (total !== null && !new Decimal(total).equals(sum)) {
    m.warn('TOTAL_MISMATCH', `the charges add up to ${sum}, L305 says ${total}`, 'L305');
  }
  if (net !== null && total !== null && !new Decimal(net).equals(total)) {
    m.warn('TOTAL_MISMATCH', `B307 net amount due ${net} differs from L305 ${total}`, 'B307');
  }

  return total ?? sum;
}

export function map210(set: TransactionSet, context: MappingContext): Map210Result {
  const m = new SetMapping(set, context);
  const b3 = m.first('B3');
  if (!b3 || !el(b3, 2)) {
    m.warn('MISSING_REQUIRED', 'no B3 invoice number', 'B3');
    return { invoice: null, unresolved: [], warnings: m.warnings };
  }
  const charges = m.all('L1').flatMap((l1) => charge(m, l1) ?? []);
  const l3 = m.first('L3');
  const net = impliedDecimal(el(b3, 7), 2);
  const total = checkTotals(m, charges, l3 ? impliedDecimal(el(l3, 5), 2) : null, net);
  const currency = el(m.first('C3'), 1) || null;
  if (!currency)
    m.warn('MISSING_REQUIRED', 'no C3 currency: the amounts are in an unknown currency', 'C3');
  const scac = el(b3, 11);
  const carrierCode = m.refs.carrier(scac);
  if (!carrierCode) m.refs.miss('CARRIER', scac || '(no B311 SCAC)', where(b3, 11), []);
  const date = x12Date(el(b3, 6));
  const invoice: CarrierInvoice = {
    invoiceNumber: el(b3, 2),
    carrierScac: scac,
    carrierCode,
    invoiceDate: date ? isoDate(date) : null,
    shipmentRefs: shipmentRefs(m),
    currency,
    charges,
    total,
    netAmountDue: net,
  };

  return { invoice, unresolved: m.refs.unresolved, warnings: m.warnings };
}
