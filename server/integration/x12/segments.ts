import { Decimal } from '../../lib/money';

// One X12 segment as read: its tag, its element values (trimmed; index 0 is element 01) and where
// it sits. `index` counts segments from the start of the document (0 = ISA); `position` counts
// within a transaction set (ST = 1), the number a 997's AK302 reports.

export interface Segment {
  tag: string;
  elements: readonly string[];
  index: number;
}

export interface SetSegment extends Segment {
  position: number;
}

/** Element `n` (1-based, as X12 numbers them), or '' when the segment stops before it. */
export function el(segment: Segment | undefined, n: number): string {
  return segment?.elements[n - 1] ?? '';
}

/** "W0105": how a fault or a warning names an element. */
export function elementName(tag: string, n: number): string {
  return `${tag}${String(n).padStart(2, '0')}`;
}

/** "W01 at segment 17" for warnings and unresolved references. */
export function where(segment: SetSegment, n?: number): string {
  const name = n === undefined ? segment.tag : elementName(segment.tag, n);

  return `${name} (segment ${segment.position})`;
}

/** Control numbers and counts are numbers: "000000049" and "49" are the same. */
export function sameNumber(a: string, b: string): boolean {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return BigInt(a) === BigInt(b);

  return a === b;
}

/** A count element as a number, or null when it is not a whole number. */
export function countOf(raw: string): number | null {
  return /^\d+$/.test(raw) ? Number(raw) : null;
}

const PLAIN = /^-?(\d+(\.\d*)?|\.\d+)$/;

/**
 * A decimal element of type R ("1705", ".07", "-12.5") in canonical spelling, or null. X12 drops
 * leading zeros and may start with the point, which the canonical decimal strings do not accept.
 */
export function decimalOf(raw: string): string | null {
  if (!PLAIN.test(raw)) return null;

  return new Decimal(raw).toFixed();
}

/**
 * A number of type Nn: digits with `places` implied decimals ("12740" N2 = 127.40). A value that
 * carries its own point is read as written: some senders do, and shifting it would be wrong.
 */
export function impliedDecimal(raw: string, places: number): string | null {
  if (!PLAIN.test(raw)) return null;
  if (raw.includes('.')) return new Decimal(raw).toFixed();

  // Written with all its implied places: "12740" N2 is "127.40", the amount as the sender meant it.
  return new Decimal(raw).dividedBy(new Decimal(10).pow(places)).toFixed(places);
}

/** Qualifier/value pairs starting at element `first` (LIN02/03, W0104/05 ...), empty ones left out. */
export function pairs(
  segment: Segment,
  first: number,
  count: number,
): { qualifier: string; value: string }[] {
  const out: { qualifier: string; value: string }[] = [];
  for (let i = 0; i < count; i += 1) {
    const qualifier = el(segment, first + 2 * i);
    const value = el(segment, first + 2 * i + 1);
    if (qualifier && value) out.push({ qualifier, value });
  }

  return out;
}
