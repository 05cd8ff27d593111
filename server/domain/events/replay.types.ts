import type { DecimalLike } from '../../lib/money';
import type { SkuUnitFactor } from '../../lib/units';
import type { Measure, VolumeUnit, WeightUnit } from './decimal-fields';
import type { DocumentKind, EventType, PayloadOf } from './payloads';

/** Shipment milestones in the order a shipment reaches them; they only move forward. */
export const MILESTONES = [
  'RELEASED',
  'PICKED',
  'STAGED',
  'LOADED',
  'DEPARTED',
  'ARRIVED',
  'DELIVERED',
  'POD_RECEIVED',
] as const;
export type Milestone = (typeof MILESTONES)[number];

/** An order line as the replay needs it, straight from the order line and its SKU's units. */
export interface ReplayLine {
  lineNo: number;
  orderLineId: string;
  /** Ordered quantity in the SKU's base unit. */
  orderedQty: DecimalLike;
  baseUom: string;
  /** The SKU's units (sku_units); the base unit itself needs no row. */
  skuUnits: readonly SkuUnitFactor[];
}

/** An event as recorded for the shipment, with the payload the schema produced. */
export type RecordedEvent = {
  [T in EventType]: {
    /** The row's own id. */
    id: string;
    /** The sender's id; unique per partner. */
    eventId: string;
    /** Voids name the sender's id, so they are matched within the same partner (null: the UI). */
    partnerId?: string | null;
    type: T;
    occurredAt: Date;
    receivedAt: Date;
    payload: PayloadOf<T>;
  };
}[EventType];

export interface ReplayInput {
  lines: readonly ReplayLine[];
  events: readonly RecordedEvent[];
}

export interface Milestones {
  releasedAt: Date | null;
  pickedAt: Date | null;
  qcAt: Date | null;
  packedStagedAt: Date | null;
  loadedAt: Date | null;
  departedAt: Date | null;
  arrivedAt: Date | null;
  deliveredAt: Date | null;
  podReceivedAt: Date | null;
  cancelledAt: Date | null;
}

/** Quantities in the facts are decimal strings in the SKU's base unit. */
export interface LineFacts {
  lineNo: number;
  orderLineId: string;
  orderedQty: string;
  /** From the latest pick report for the line by event time; "0" if none. */
  pickedQty: string;
  /** The quantity and unit as the latest pick report gave them. */
  pickedAsReported: Measure<string> | null;
  lot: string | null;
  location: string | null;
  /** The event whose report stands for this line. */
  pickEventId: string | null;
  qcFailed: boolean;
  qcReason: string | null;
  /** Base units received, from the latest delivery report that names the line. */
  deliveredQty: string | null;
}

export interface PackingFacts {
  eventId: string;
  handlingUnits: number;
  weight: Measure<WeightUnit>;
  weightKg: string;
  volume: Measure<VolumeUnit>;
  volumeM3: string;
  dock: string;
}

export interface DocumentFact {
  eventId: string;
  kind: DocumentKind;
  reference: string;
  uri: string | null;
  lineNo: number | null;
  orderLineId: string | null;
  occurredAt: Date;
}

export interface PodFact {
  eventId: string;
  signer: string;
  signedAt: Date;
  documentUri: string;
}

/** Goods of the shipment received back at our site, as counted there (never a milestone). */
export interface ReturnFact {
  eventId: string;
  at: Date;
  lines: { skuCode: string; quantity: string; uom: string; lot: string | null }[];
  disposition: string | null;
  reason: string | null;
}

export interface ShipmentFacts {
  lines: LineFacts[];
  packing: PackingFacts | null;
  documents: DocumentFact[];
  pod: PodFact | null;
  damageNotes: string | null;
  cancelled: { eventId: string; at: Date; reason: string } | null;
  /** In event-time order; a voided return is not among them. */
  returns: ReturnFact[];
}

export type AnomalyCode =
  'UNKNOWN_LINE' | 'UNKNOWN_UOM' | 'VOID_TARGET_UNKNOWN' | 'VOID_OF_VOID' | 'CONFLICTING_DUPLICATE';

/** Something in the event set the replay could not apply; the service turns these into exceptions. */
export interface ReplayAnomaly {
  eventId: string;
  code: AnomalyCode;
  lineNo: number | null;
  detail: string;
}

export type Disposition = 'APPLIED' | 'LATE' | 'VOIDED';

export interface EventOutcome {
  id: string;
  eventId: string;
  disposition: Disposition;
  /** Milestones whose time this event supplies. */
  milestones: Milestone[];
}

export interface ReplayResult {
  milestones: Milestones;
  /** The highest milestone that stands, or null before release. */
  milestone: Milestone | null;
  /** The stage time the gate compares with a departure's cut-off: event time, never arrival. */
  stagedAt: Date | null;
  cancelled: boolean;
  facts: ShipmentFacts;
  /** One per recorded row, in event-time order. */
  events: EventOutcome[];
  anomalies: ReplayAnomaly[];
}
