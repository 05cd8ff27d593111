import { glnOf, gtin14 } from '../../../integration/gs1-keys';
import type { Unresolved, UnresolvedKind } from '../../../integration/types';

// How an orphan names what did not match, in the words an admin maps it by: the GTIN-14 of a
// product (whatever length the document used), the GLN inside an SGLN, the partner's own code.

const MAPPING_NAME: Record<UnresolvedKind, string> = {
  PARTNER_ID: 'partner id',
  SKU: 'SKU',
  LOCATION: 'location',
  CARRIER: 'carrier',
};

/** "GTIN 00012345678905", "location urn:epc:id:sgln:… (GLN …)", "carrier CNRU". */
export function referenceLabel(kind: UnresolvedKind, value: string): string {
  if (kind === 'SKU') {
    const gtin = gtin14(value.replace(/^[A-Z]{2,4}:/, ''));
    return gtin ? `GTIN ${gtin}` : `product ${value}`;
  }
  if (kind === 'LOCATION') {
    const gln = glnOf(value);
    return gln && gln !== value ? `location ${value} (GLN ${gln})` : `location ${value}`;
  }

  return `${MAPPING_NAME[kind]} ${value}`;
}

/** One miss as a sentence: "GTIN 00012345678905 of partner ACME has no SKU mapping". */
export function missText(miss: Pick<Unresolved, 'kind' | 'value'>, partnerCode?: string): string {
  const whose = partnerCode === undefined ? '' : ` of partner ${partnerCode}`;
  // Adapters write "(no N1*ST ship-to)" when the document names nothing to map.
  const absent = /^\((.*)\)$/.exec(miss.value);
  if (absent) return `the document${whose} has ${absent[1]}`;

  return `${referenceLabel(miss.kind, miss.value)}${whose} has no ${MAPPING_NAME[miss.kind]} mapping`;
}

export interface HeldEventSummary {
  eventId: string;
  type?: string;
  ref?: string;
}

const MAX_TITLE = 400;

/** The orphan's title: the event, then every miss that holds it back. */
export function orphanTitle(
  event: HeldEventSummary,
  misses: readonly Pick<Unresolved, 'kind' | 'value'>[],
  partnerCode: string,
): string {
  const what = event.type ? `${event.type}${event.ref ? ` ${event.ref}` : ''}` : event.eventId;
  const title = `${what} from partner ${partnerCode} waits: ${misses.map((m) => missText(m)).join('; ')}`;

  return title.length <= MAX_TITLE ? title : `${title.slice(0, MAX_TITLE - 1)}…`;
}

/** The event ids any miss holds back, in the order the adapter named them. */
export function heldEventIds(unresolved: readonly Unresolved[]): string[] {
  return [...new Set(unresolved.flatMap((u) => u.eventIds))];
}

export function orphanKey(partnerId: string, eventId: string): string {
  return `orphan:partner:${partnerId}:${eventId}`;
}
