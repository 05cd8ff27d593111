import type { FuelPrice, RatingContract } from '../domain/billing/rating';
import type {
  ExceptionType,
  Role,
  Severity,
  SiteKind,
  SlaUnit,
  TeamKind,
} from '../db/generated/enums';
import type { OpenCalendar } from './calendars';

// The demo world as the simulation sees it: ids of the rows already written plus the facts it
// needs to rate, route and time shipments without reading them back.

export interface ZoneInfo {
  id: string;
  code: string;
  city: string;
  region: string;
  prefixes: string[];
  transitHours: number;
}

export interface CarrierInfo {
  id: string;
  code: string;
  scac: string;
}

export interface DepartureInfo {
  id: string;
  routeId: string;
  weekdays: number[];
  departMinute: number;
  cutoffMinute: number;
}

export interface RouteInfo {
  id: string;
  code: string;
  carrier: CarrierInfo;
  zones: ZoneInfo[];
  departures: DepartureInfo[];
}

export interface VehicleInfo {
  id: string;
  code: string;
  maxWeightKg: number;
  maxVolumeM3: number;
  dgClasses: string[];
}

export interface TeamInfo {
  id: string;
  kind: TeamKind;
  memberIds: string[];
}

export interface SiteInfo {
  id: string;
  code: string;
  kind: SiteKind;
  timeZone: string;
  calendar: OpenCalendar;
  share: number;
  fuelRegion: string;
  taxCode: string;
  teams: Record<TeamKind, TeamInfo>;
  zones: ZoneInfo[];
  routes: RouteInfo[];
  routeOfZone: Map<string, RouteInfo>;
  docks: { id: string; code: string }[];
  vehicles: VehicleInfo[];
}

export type UomCode = 'EA' | 'CS' | 'PL';

export interface SkuInfo {
  id: string;
  code: string;
  /** USD per base unit (EA). */
  unitPrice: string;
  weightKg: number;
  volumeM3: number;
  hazardClass?: string;
  unNumber?: string;
  factors: Record<UomCode, number>;
  /** How often order lines pick it, relative to the others. */
  popularity: number;
}

export interface ContractInfo {
  id: string;
  currency: string;
  fuelRegion: string;
  /** The contract as the product's rating reads it. */
  rating: RatingContract;
}

/** How a customer pays: within terms, often late, or so late that it runs over its limit. */
export type PayProfile = 'PROMPT' | 'LATE' | 'SLOW';

export interface LocationInfo {
  id: string;
  code: string;
  zone: ZoneInfo;
  site: SiteInfo;
  postalCode: string;
}

export interface CustomerInfo {
  id: string;
  code: string;
  currency: string;
  termsDays: number;
  allowsPartial: boolean;
  payProfile: PayProfile;
  /** Relative order volume. */
  volume: number;
  locations: LocationInfo[];
  contract: ContractInfo;
}

export interface SlaInfo {
  id: string;
  type: ExceptionType;
  severity: Severity;
  firstResponseValue: number;
  firstResponseUnit: SlaUnit;
  resolutionValue: number;
  resolutionUnit: SlaUnit;
}

export interface PartnerInfo {
  simulatorId: string;
  carrierPartnerId: string;
  erpPartnerId: string;
  apiKeyId: string;
  /** The simulator's key in clear; only its hash is stored. */
  apiKey: string;
  apiKeyPrefix: string;
}

export interface MasterData {
  now: Date;
  /** The first instant of simulated history. */
  historyStart: Date;
  sites: SiteInfo[];
  carriers: CarrierInfo[];
  skus: SkuInfo[];
  customers: CustomerInfo[];
  /** By `${type}:${severity}`. */
  sla: Map<string, SlaInfo>;
  /** The weekly fuel index of every region. */
  fuelPrices: FuelPrice[];
  /** Quote per USD by local date (YYYY-MM-DD) and currency; USD itself is 1. */
  fx: Map<string, Record<string, string>>;
  partners: PartnerInfo;
  /** The demo users' ids by role. */
  demoUserIds: Record<Role, string>;
  counts: Record<string, number>;
}
