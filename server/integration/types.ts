import type { z } from 'zod';

import type { EventType, eventSchemas } from '../domain/events/schema';

// What every file adapter (X12, EPCIS, later CSV) hands to the intake: canonical event objects in
// the shape `parseEvent` reads, the references it could not match, and warnings. Adapters are pure:
// the reference map, the default site and the clock come in through `MappingContext`.

type CanonicalInput = { [T in EventType]: z.input<(typeof eventSchemas)[T]> }[EventType];
type InputOf<T extends EventType> = Extract<CanonicalInput, { type: T }>;

/** Envelope fields shared by every event an adapter writes. */
export interface EventEnvelope {
  eventId: string;
  occurredAt: string;
  site: string;
  orderRef?: string;
  shipmentRef?: string;
}

/**
 * A stage reported by a document that does not measure it (an 856 without TD1 volume, an EPCIS
 * packing event) keeps the fields it has; the canonical schema then names what is missing, and a
 * MISSING_REQUIRED warning says so first. Measures are never invented.
 */
export type PackedStagedDraft = Omit<InputOf<'PACKED_STAGED'>, 'payload'> & {
  payload: Partial<InputOf<'PACKED_STAGED'>['payload']> & { handlingUnits: number };
};

/**
 * One received line of a receipt: the SKU when the GTIN maps to one (null while it maps to
 * none: the event is then held back, and the canonical schema would name the missing SKU), and
 * the GTIN as read, when the EPC carries one.
 */
export interface ReceiptLine {
  gtin?: string;
  skuCode: string | null;
  quantity: string;
  uom: string;
  epcs?: string[];
}

/**
 * Drafts of the canonical RETURN_RECEIVED (goods we shipped, received back at our site) and
 * INBOUND_RECEIPT (any other receipt at our site, recorded for the site, moving no shipment):
 * as the canonical payloads, but a line may lack its SKU, as a PackedStagedDraft lacks measures.
 */
export interface ReturnReceivedEvent extends EventEnvelope {
  type: 'RETURN_RECEIVED';
  payload: { lines: ReceiptLine[]; disposition?: string; sourceEventId?: string };
}

export interface InboundReceiptEvent extends EventEnvelope {
  type: 'INBOUND_RECEIPT';
  payload: {
    lines: ReceiptLine[];
    disposition?: string;
    bizTransactions: { type?: string; id: string }[];
    sourceEventId?: string;
  };
}

export type AdapterEvent =
  | Exclude<CanonicalInput, { type: 'PACKED_STAGED' | 'RETURN_RECEIVED' | 'INBOUND_RECEIPT' }>
  | PackedStagedDraft
  | ReturnReceivedEvent
  | InboundReceiptEvent;

export type UnresolvedKind = 'PARTNER_ID' | 'LOCATION' | 'SKU' | 'CARRIER';

/**
 * A reference the partner's mapping table does not know. `eventIds` are the events it holds back:
 * the intake parks them as orphans naming `value`, and re-runs the mapper over the kept document
 * once an admin maps it (event ids are deterministic, so the re-run dedupes).
 */
export interface Unresolved {
  kind: UnresolvedKind;
  value: string;
  segment: string;
  eventIds: string[];
  /** ST02 of the transaction set it was read from, in a document of several. */
  set?: string;
}

export type WarningCode =
  'MISSING_REQUIRED' | 'INFERRED' | 'NOT_MAPPED' | 'TOTAL_MISMATCH' | 'LENIENT_ENVELOPE';

export interface AdapterWarning {
  code: WarningCode;
  message: string;
  segment?: string;
  eventId?: string;
  set?: string;
}

export interface MapResult<T = AdapterEvent> {
  events: T[];
  unresolved: Unresolved[];
  warnings: AdapterWarning[];
}

export interface SkuRef {
  skuCode: string;
  /** The catalogue price and its currency: an X12 940 carries no prices. */
  unitPrice: string;
  currency: string;
}

export type LocationRef =
  | { kind: 'SITE'; site: string; timeZone?: string; dock?: string }
  | { kind: 'CUSTOMER'; customerCode: string; locationCode: string };

/**
 * One partner's mapping table, as an admin edits it. Keys are identifiers as the partner sends
 * them; a key may carry its qualifier ("92:0001", "VN:000100") or not. GTINs of 8, 12, 13 or 14
 * digits match whatever length the document uses.
 */
export interface ReferenceMap {
  /** Partner identifiers (ISA/GS sender ids, N1 depositor and bill-to ids) -> customer code. */
  partners: Readonly<Record<string, string>>;
  skus: Readonly<Record<string, SkuRef>>;
  /** Partner location codes, GLNs and SGLNs -> one of our sites or a customer's location. */
  locations: Readonly<Record<string, LocationRef>>;
  /** SCACs or partner carrier codes -> our carrier code. */
  carriers: Readonly<Record<string, string>>;
}

/**
 * How one carrier reports proof of delivery in its 214s, which X12 004010 has no element for:
 * the qualifier of the L11 in the delivery's status loop that names the signer, and the
 * carrier's POD image address for one of its references ("{ref}" is B1001, the carrier's PRO).
 */
export interface PodConvention {
  signerQualifier: string;
  documentUriTemplate: string;
}

/** What an EPC left our site in, as the packing or shipping event named it. */
export interface ShippedRef {
  orderRef?: string;
  shipmentRef?: string;
}

export interface MappingContext {
  references: ReferenceMap;
  /** Our site when the document names none we know. */
  site: string;
  /** That site's IANA zone: X12 local times without a time code are read in it. */
  timeZone: string;
  now: Date;
  /** EPCs (SSCC, SGTIN) of what left our sites -> the order or shipment they left in. */
  shippedEpcs?: Readonly<Record<string, ShippedRef>>;
  pod?: PodConvention;
}
