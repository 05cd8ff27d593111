// The shapes rating takes and returns: plain data the billing service loads from a contract, its
// lanes and the fuel index, and the charge lines it writes.
import type { Decimal, DecimalLike } from '../../lib/money';

/** A date-only value: 'YYYY-MM-DD', or a Date holding a @db.Date column (UTC midnight). */
export type DateOnly = string | Date;

export interface RatingBreak {
  minWeightKg: DecimalLike;
  ratePerKg: DecimalLike;
}

export interface RatingLane {
  originSiteId: string;
  zoneId: string;
  minimumCharge: DecimalLike;
  breaks: readonly RatingBreak[];
}

export interface FuelBand {
  /** Inclusive. */
  priceFrom: DecimalLike;
  /** Exclusive; null is open-ended. */
  priceTo: DecimalLike | null;
  /** Fraction of the line haul, e.g. 0.185. */
  percent: DecimalLike;
}

export type AccessorialUnit = 'PER_SHIPMENT' | 'PER_HANDLING_UNIT' | 'PER_KG';

export interface RatingAccessorial {
  code: string;
  description: string;
  unit: AccessorialUnit;
  amount: DecimalLike;
  automatic: boolean;
}

export interface RatingContract {
  id: string;
  code: string;
  currency: string;
  validFrom: DateOnly;
  /** Inclusive; null is open-ended. */
  validTo: DateOnly | null;
  /** The contract's fuel surcharge table; null means no fuel surcharge. */
  fuelBands: readonly FuelBand[] | null;
  fuelRegion: string | null;
  /** Tax jurisdiction rate as a fraction; null means untaxed. */
  taxRate: DecimalLike | null;
  lanes: readonly RatingLane[];
  accessorials: readonly RatingAccessorial[];
}

export interface FuelPrice {
  region: string;
  weekStart: DateOnly;
  price: DecimalLike;
}

export interface RatingShipment {
  originSiteId: string;
  zoneId: string;
  /** The local date the shipment ships (its departure's service date). */
  shipDate: DateOnly;
  weightKg: DecimalLike;
  volumeM3: DecimalLike;
  handlingUnits: number | null;
  dangerousGoods: boolean;
  /** Codes of on-request accessorials ordered for this shipment (liftgate, appointment...). */
  requestedAccessorials?: readonly string[];
}

export interface RatingOptions {
  /** Volumetric factor: 1 m³ is charged as at least this many kg (default 250). */
  kgPerM3?: DecimalLike;
}

export type ChargeKind =
  'FREIGHT' | 'MINIMUM_ADJUSTMENT' | 'FUEL_SURCHARGE' | 'ACCESSORIAL' | 'TAX';
export type ChargeBasis = Record<string, string | number | boolean | null>;

export interface ChargeLine {
  kind: ChargeKind;
  code: string;
  description: string;
  amount: Decimal;
  basis: ChargeBasis;
}

export interface Rating {
  ok: true;
  contractId: string;
  contractCode: string;
  currency: string;
  chargeableWeightKg: Decimal;
  lines: ChargeLine[];
  subtotal: Decimal;
  tax: Decimal;
  total: Decimal;
}

export type NoRateMissing =
  'CONTRACT' | 'LANE' | 'BREAK' | 'FUEL_PRICE' | 'FUEL_BAND' | 'ACCESSORIAL';

/** Why a shipment could not be rated: a billing exception (NO_RATE), never a made-up price. */
export interface NoRate {
  ok: false;
  code: 'NO_RATE';
  missing: NoRateMissing;
  message: string;
  contractCode?: string;
}
