// The readiness gate's input and output. The input is plain data the readiness service loads
// from the database in one read; the checks never query anything themselves, so a decision can
// be replayed from its inputs. Every Decimal here is built with money()/decimal() from
// server/lib/money.ts (Prisma's Decimal is converted through its text first).
import type { Decimal } from '../../lib/money';
import type { SkuUnitFactor } from '../../lib/units';
import type { DepartureRule, PlannedDeparture } from '../dispatch/departures';

export type CheckName = 'COMPLETENESS' | 'INVENTORY' | 'CREDIT' | 'DANGEROUS_GOODS' | 'ROUTE';

/** Gate names of the HoldReason enum (readiness.prisma). */
export type GateHoldReason =
  | 'QUANTITY_VARIANCE'
  | 'INVENTORY_UNCONFIRMED'
  | 'CREDIT'
  | 'DANGEROUS_GOODS_DOCUMENT'
  | 'ROUTE_INELIGIBLE'
  | 'AWAITING_APPROVAL';

/** Gate names of the ExceptionType enum (exceptions.prisma). */
export type GateExceptionType =
  | 'QUANTITY_VARIANCE'
  | 'INVENTORY_UNCONFIRMED'
  | 'MISSING_DOCUMENT'
  | 'CREDIT_HOLD'
  | 'ROUTE_INELIGIBLE'
  | 'APPROVAL_REQUIRED';

export type OwnerTeam = 'WAREHOUSE' | 'BILLING' | 'DISPATCH';

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonRecord = { [key: string]: JsonValue };

/** What a check found on one shipment line. */
export interface LineDetail {
  orderLineId: string;
  skuCode: string;
  ok: boolean;
  note: string;
  values: JsonRecord;
}

/**
 * One check's verdict as the decision record stores it. JSON-safe throughout (decimals and
 * instants as strings) so it can be written to readiness_decisions.checks as it is.
 */
export interface CheckResult {
  check: CheckName | 'APPROVAL';
  verdict: 'PASS' | 'FAIL';
  holdReason?: GateHoldReason;
  exceptionType?: GateExceptionType;
  ownerTeam: OwnerTeam;
  inputs: JsonRecord;
  reason: string;
  details: LineDetail[];
}

/** Part of a line the customer will receive later, in the SKU's base unit. */
export interface BackorderLine {
  orderLineId: string;
  skuCode: string;
  quantity: Decimal;
  uom: string;
}

export interface GateSku {
  code: string;
  baseUom: string;
  /** UN number (e.g. "UN1263"); set means the SKU is dangerous goods. */
  unNumber: string | null;
  hazardClass: string | null;
  units: readonly SkuUnitFactor[];
  /** Weight and volume of one base unit, used when the shipment has no measured weight. */
  weightKg: Decimal;
  volumeM3: Decimal;
}

export interface GateLine {
  orderLineId: string;
  sku: GateSku;
  /** As ordered: quantity in the order line's own unit. */
  orderedQty: Decimal;
  orderedUom: string;
  /** As the warehouse reported it, already in the SKU's base unit. */
  pickedQty: Decimal;
  lot: string | null;
  location: string | null;
  /** The pick was confirmed by the warehouse (a pick-completed fact for this line). */
  confirmed: boolean;
  /** A QC failure stands until a later QC pass. */
  qcFailed: boolean;
}

export interface GateShipment {
  id: string;
  /** The packed-and-staged event's occurredAt: the instant that must make a cut-off. */
  stagedAt: Date;
  dangerousGoods: boolean;
  /** Measured weight and volume; null falls back to the lines' picked quantities. */
  weightKg: Decimal | null;
  volumeM3: Decimal | null;
  goodsValue: Decimal;
  currency: string;
}

export interface GateCustomer {
  id: string;
  allowsPartial: boolean;
  creditLimit: Decimal;
  creditBlocked: boolean;
  currency: string;
}

/**
 * Credit exposure in its parts, each already summed by the service, in `currency` (the
 * customer's). Each amount is counted in exactly one part: an invoice released and unpaid is
 * not also "not invoiced", and this shipment is left out of `shippedOrReadyNotInvoiced` when it
 * is re-gated, because `thisShipment` carries it.
 */
export interface GateExposure {
  currency: string;
  releasedUnpaid: Decimal;
  shippedOrReadyNotInvoiced: Decimal;
  /** This shipment's expected value: goods value plus the freight estimate. */
  thisShipment: Decimal;
}

export interface GateDocument {
  kind: 'DANGEROUS_GOODS_DECLARATION' | 'PROOF_OF_DELIVERY' | 'COMMERCIAL_INVOICE' | 'OTHER';
  /** The line the document covers; null covers the whole shipment. */
  orderLineId: string | null;
  voidedAt?: Date | null;
}

export interface GateZone {
  id: string;
  code: string;
  country: string;
  postalPrefixes: readonly string[];
}

/** An active route of the shipment's site with the zones it serves. */
export interface GateRoute {
  id: string;
  code: string;
  zoneIds: readonly string[];
  departures: readonly DepartureRule[];
}

/** An active vehicle of the site. */
export interface GateVehicle {
  id: string;
  code: string;
  maxWeightKg: Decimal;
  maxVolumeM3: Decimal;
  dgClasses: readonly string[];
}

export interface GateSettings {
  /**
   * A line is complete when |picked - ordered| <= max(fraction x ordered, absolute), in base
   * units: the fraction scales with big lines, the absolute floor keeps small ones from failing
   * on rounding (e.g. catch-weight goods).
   */
  quantityTolerance: { fraction: Decimal; absolute: Decimal };
  /** How many days ahead to look for a departure (default: a week). */
  departureHorizonDays?: number;
}

export interface GateInput {
  shipment: GateShipment;
  lines: readonly GateLine[];
  customer: GateCustomer;
  exposure: GateExposure;
  documents: readonly GateDocument[];
  shipTo: { postalCode: string; country: string };
  zones: readonly GateZone[];
  site: { id: string; timeZone: string };
  routes: readonly GateRoute[];
  vehicles: readonly GateVehicle[];
  settings: GateSettings;
}

/**
 * The hook for approval rules (HoldReason AWAITING_APPROVAL, exception APPROVAL_REQUIRED): a
 * rule sees the input and the five checks' results and returns its own result, which the gate
 * records and counts like any other check.
 */
export type ApprovalRule = (input: GateInput, checks: readonly CheckResult[]) => CheckResult;

export interface GateHold {
  reason: GateHoldReason;
  detail: string;
}

export interface GateDecision {
  outcome: 'PASS' | 'HOLD';
  checks: CheckResult[];
  holds: GateHold[];
  /** The departure the shipment can make, when the route check found one. */
  plannedDeparture?: PlannedDeparture;
  /** Lines shipped short to a customer that accepts partial shipments. */
  backorder?: BackorderLine[];
  ruleVersion: string;
}
