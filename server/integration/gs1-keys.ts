// GS1 keys as documents spell them: GTINs of 8, 12, 13 or 14 digits (an X12 UPC, an EAN, a case
// GTIN), EPC URNs (SGTIN, SSCC, SGLN, LGTIN classes) and GS1 Digital Link URIs. Everything is
// brought to one spelling (GTIN-14, GLN-13) so that a partner's mapping row matches however the
// document writes the key.

const GTIN_LENGTHS = new Set([8, 12, 13, 14]);

/** The GTIN-14 of a GTIN-8/12/13/14 (left-padded with zeros), or null when it is not one. */
export function gtin14(value: string): string | null {
  if (!/^\d+$/.test(value) || !GTIN_LENGTHS.has(value.length)) return null;

  return value.padStart(14, '0');
}

/** GS1 mod-10 check digit of the digits that precede it. */
export function checkDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    // Weights run 3, 1, 3, ... from the rightmost digit.
    const weight = (digits.length - i) % 2 === 1 ? 3 : 1;
    sum += Number(digits[i]) * weight;
  }

  return String((10 - (sum % 10)) % 10);
}

const EPC_CLASS = /^urn:epc:(?:id|idpat|class):(sgtin|lgtin):(\d+)\.(\d+)(?:\.(.*))?$/;
const DIGITAL_LINK_GTIN = /^https?:\/\/[^/]+\/(?:.*\/)?01\/(\d{14})(?:\/|$)/;

/** The GTIN-14 of an SGTIN, LGTIN class or pattern, or a Digital Link URI; null otherwise. */
export function gtinOfEpc(epc: string): string | null {
  const m = EPC_CLASS.exec(epc);
  if (m) {
    const [prefix, itemRef] = [m[2]!, m[3]!];
    // The indicator digit travels as the first digit of the item reference.
    const body = `${itemRef.slice(0, 1)}${prefix}${itemRef.slice(1)}`;

    return body.length === 13 ? `${body}${checkDigit(body)}` : null;
  }
  const link = DIGITAL_LINK_GTIN.exec(epc);

  return link ? link[1]! : null;
}

const SGLN = /^urn:epc:id:sgln:(\d+)\.(\d*)\.(.*)$/;
const DIGITAL_LINK_GLN = /^https?:\/\/[^/]+\/(?:.*\/)?414\/(\d{13})(?:\/|$)/;

/** The GLN-13 of an SGLN URN or a Digital Link location URI (its extension dropped). */
export function glnOf(location: string): string | null {
  const m = SGLN.exec(location);
  if (m) {
    const body = `${m[1]!}${m[2]!}`;

    return body.length === 12 ? `${body}${checkDigit(body)}` : null;
  }
  const link = DIGITAL_LINK_GLN.exec(location);

  return link ? link[1]! : null;
}

/** True for the EPC of a logistic unit (an SSCC), which is one handling unit. */
export function isSscc(epc: string): boolean {
  return epc.startsWith('urn:epc:id:sscc:') || /^https?:\/\/[^/]+\/(?:.*\/)?00\/\d{18}$/.test(epc);
}
