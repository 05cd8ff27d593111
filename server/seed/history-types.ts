import type {
  ChargeKind,
  DocumentKind,
  EventType,
  ExceptionType,
  GateOutcome,
  HoldReason,
  InvoiceStatus,
  Severity,
  TeamKind,
  TripStatus,
} from '../db/generated/enums';
import type {
  CustomerInfo,
  DepartureInfo,
  LocationInfo,
  RouteInfo,
  SiteInfo,
  SkuInfo,
  UomCode,
  VehicleInfo,
} from './types';

// The simulated history in memory, before it becomes rows. Times are UTC milliseconds; a
// milestone is absent when it had not happened by `now`.

export interface SimEvent {
  id: string;
  type: EventType;
  at: number;
  data: Record<string, unknown>;
}

export interface SimLine {
  orderLineId: string;
  shipmentLineId: string;
  lineNo: number;
  sku: SkuInfo;
  uom: UomCode;
  qty: number;
  /** Per unit of `uom`, in the order's currency. */
  unitPrice: string;
  orderedBase: number;
  pickedBase: number;
  deliveredBase?: number;
  lot: string;
  location: string;
}

export interface SimException {
  id: string;
  type: ExceptionType;
  severity: Severity;
  ownerTeam: TeamKind;
  site: SiteInfo;
  shipmentId?: string;
  eventId?: string;
  dedupeKey: string;
  title: string;
  detail: Record<string, unknown>;
  openedAt: number;
  /** When it is resolved, if it is by `now`; with the code and note the resolver left. */
  resolvedAt?: number;
  resolutionCode?: string;
  resolutionNote?: string;
  /** A credit hold waits on the customer's payment once acknowledged. */
  waits?: boolean;
}

export interface SimDecision {
  id: string;
  outcome: GateOutcome;
  trigger: string;
  at: number;
  /** As readiness_decisions.checks: { items, plannedDeparture, backorder }. */
  checks: Record<string, unknown>;
}

export interface SimHold {
  id: string;
  reason: HoldReason;
  detail: string;
  decisionId: string;
  placedAt: number;
  releasedAt?: number;
  releasedById?: string;
  exception: SimException;
}

export interface SimDocument {
  id: string;
  kind: DocumentKind;
  reference: string;
  uri: string;
  orderLineId?: string;
  eventId: string;
  at: number;
}

export interface SimBooking {
  id: string;
  bookedAt: number;
  slotStart: number;
  slotEnd: number;
  loadedAt: number;
}

export interface SimTrip {
  id: string;
  departure: DepartureInfo;
  route: RouteInfo;
  site: SiteInfo;
  serviceDate: string;
  departsAt: number;
  cutoffAt: number;
  /** Shipments slotted on it by `now`, in booking order. */
  booked: SimShipment[];
  vehicle?: VehicleInfo;
  dock?: { id: string; code: string };
  departedAt?: number;
  status: TripStatus;
}

export interface SimCharge {
  id: string;
  kind: ChargeKind;
  code: string;
  description: string;
  amount: string;
  basis: Record<string, unknown>;
}

export interface SimInvoice {
  id: string;
  number: string;
  status: InvoiceStatus;
  subtotal: string;
  tax: string;
  total: string;
  createdAt: number;
  releasedAt?: number;
  dueAt?: number;
  paidAt?: number;
  hold?: { id: string; detail: string; placedAt: number; releasedAt?: number };
  paymentId?: string;
}

export interface Milestones {
  released: number;
  picked?: number;
  qc?: number;
  staged?: number;
  ready?: number;
  held?: number;
  slotted?: number;
  loaded?: number;
  departed?: number;
  delivered?: number;
  pod?: number;
  invoiced?: number;
  cancelled?: number;
}

export interface SimShipment {
  id: string;
  ref: string;
  orderId: string;
  orderRef: string;
  poNumber: string;
  site: SiteInfo;
  customer: CustomerInfo;
  location: LocationInfo;
  route: RouteInfo;
  lines: SimLine[];
  dangerousGoods: boolean;
  currency: string;
  goodsValue: string;
  requestedAt: number;
  /** The requested delivery date, local to the site. */
  requestedDate: string;
  weightKg: number;
  volumeM3: number;
  handlingUnits: number;
  stagedDock?: string;
  trackingRef?: string;
  t: Milestones;
  events: SimEvent[];
  decisions: SimDecision[];
  holds: SimHold[];
  exceptions: SimException[];
  documents: SimDocument[];
  /** The departure the gate planned from the stage time. */
  plannedTrip?: SimTrip;
  /** The trip it was booked on: the first whose cut-off its ready time made. */
  trip?: SimTrip;
  booking?: SimBooking;
  charges: SimCharge[];
  chargedAt?: number;
  invoice?: SimInvoice;
}
