import type { SiteKind } from '../db/generated/enums';
import type { WorkingHoursSpec } from './calendars';

// The regional distributor's network: three warehouses in three time zones with their state's
// public holidays, and a round-the-clock cross-dock. Postal prefixes are real three-digit ZIP
// prefixes of each metro so that addresses look right on a map.

export interface ZoneSpec {
  code: string;
  name: string;
  city: string;
  region: string;
  prefixes: string[];
  /** Typical drive from the site, for delivery times. */
  transitHours: number;
}

export interface SiteSpec {
  code: string;
  name: string;
  kind: SiteKind;
  timeZone: string;
  holidayState?: string;
  addressLine: string;
  city: string;
  region: string;
  postalCode: string;
  /** Share of the distributor's daily shipments. */
  share: number;
  fuelRegion: string;
  taxCode: string;
  carriers: [string, string];
  zones: ZoneSpec[];
  /** Zone codes per route; every zone is served by exactly one route of its site. */
  routes: string[][];
  dockDoors: number;
}

const WEEKDAYS = [1, 2, 3, 4, 5];

/** Mon-Fri 06:00-22:00 and Sat 08:00-14:00, local time. */
export const WAREHOUSE_HOURS: WorkingHoursSpec[] = [
  ...WEEKDAYS.map((weekday) => ({ weekday, opensMinute: 6 * 60, closesMinute: 22 * 60 })),
  { weekday: 6, opensMinute: 8 * 60, closesMinute: 14 * 60 },
];

export const SITE_SPECS: SiteSpec[] = [
  {
    code: 'LAX1',
    name: 'Los Angeles Distribution Center',
    kind: 'WAREHOUSE',
    timeZone: 'America/Los_Angeles',
    holidayState: 'CA',
    addressLine: '4100 E Mission Blvd',
    city: 'Ontario',
    region: 'CA',
    postalCode: '91761',
    share: 0.3,
    fuelRegion: 'US-WEST-COAST',
    taxCode: 'US-CA',
    carriers: ['RDWF', 'SMTL'],
    zones: [
      {
        code: 'LA-CENTRAL',
        name: 'Los Angeles Central',
        city: 'Los Angeles',
        region: 'CA',
        prefixes: ['900', '901'],
        transitHours: 2.5,
      },
      {
        code: 'LA-SOUTH-BAY',
        name: 'South Bay',
        city: 'Torrance',
        region: 'CA',
        prefixes: ['902', '903', '904', '905'],
        transitHours: 2.5,
      },
      {
        code: 'LA-EAST',
        name: 'East County',
        city: 'Whittier',
        region: 'CA',
        prefixes: ['906', '907', '908'],
        transitHours: 2,
      },
      {
        code: 'LA-VALLEY',
        name: 'San Fernando Valley',
        city: 'Van Nuys',
        region: 'CA',
        prefixes: ['910', '911', '912', '913', '914', '915', '916'],
        transitHours: 3,
      },
      {
        code: 'INLAND-EMPIRE',
        name: 'Inland Empire',
        city: 'Riverside',
        region: 'CA',
        prefixes: ['917', '918', '922', '923', '924', '925'],
        transitHours: 1.5,
      },
      {
        code: 'ORANGE-COUNTY',
        name: 'Orange County',
        city: 'Anaheim',
        region: 'CA',
        prefixes: ['926', '927', '928'],
        transitHours: 2,
      },
      {
        code: 'SAN-DIEGO',
        name: 'San Diego',
        city: 'San Diego',
        region: 'CA',
        prefixes: ['919', '920', '921'],
        transitHours: 4,
      },
    ],
    routes: [
      ['LA-CENTRAL', 'LA-SOUTH-BAY'],
      ['LA-EAST', 'ORANGE-COUNTY'],
      ['LA-VALLEY'],
      ['INLAND-EMPIRE', 'SAN-DIEGO'],
    ],
    dockDoors: 8,
  },
  {
    code: 'ORD1',
    name: 'Chicago Distribution Center',
    kind: 'WAREHOUSE',
    timeZone: 'America/Chicago',
    holidayState: 'IL',
    addressLine: '2250 W Jefferson St',
    city: 'Joliet',
    region: 'IL',
    postalCode: '60435',
    share: 0.3,
    fuelRegion: 'US-MIDWEST',
    taxCode: 'US-IL',
    carriers: ['GLKC', 'PRHL'],
    zones: [
      {
        code: 'CHI-CITY',
        name: 'Chicago City',
        city: 'Chicago',
        region: 'IL',
        prefixes: ['606', '607', '608'],
        transitHours: 2,
      },
      {
        code: 'CHI-NORTH',
        name: 'North Shore',
        city: 'Evanston',
        region: 'IL',
        prefixes: ['600', '601', '602'],
        transitHours: 2.5,
      },
      {
        code: 'CHI-WEST',
        name: 'West Suburbs',
        city: 'Naperville',
        region: 'IL',
        prefixes: ['603', '604', '605'],
        transitHours: 1.5,
      },
      {
        code: 'NW-INDIANA',
        name: 'Northwest Indiana',
        city: 'Gary',
        region: 'IN',
        prefixes: ['463', '464'],
        transitHours: 2.5,
      },
      {
        code: 'MILWAUKEE',
        name: 'Milwaukee',
        city: 'Milwaukee',
        region: 'WI',
        prefixes: ['530', '531', '532'],
        transitHours: 4,
      },
      {
        code: 'ROCKFORD',
        name: 'Rockford',
        city: 'Rockford',
        region: 'IL',
        prefixes: ['610', '611'],
        transitHours: 3,
      },
    ],
    routes: [['CHI-CITY'], ['CHI-NORTH', 'MILWAUKEE'], ['CHI-WEST', 'ROCKFORD'], ['NW-INDIANA']],
    dockDoors: 8,
  },
  {
    code: 'NYC1',
    name: 'New York Distribution Center',
    kind: 'WAREHOUSE',
    timeZone: 'America/New_York',
    holidayState: 'NY',
    addressLine: '600 Food Center Dr',
    city: 'Bronx',
    region: 'NY',
    postalCode: '10474',
    share: 0.28,
    fuelRegion: 'US-EAST-COAST',
    taxCode: 'US-NY',
    carriers: ['ATXP', 'GLKC'],
    zones: [
      {
        code: 'MANHATTAN',
        name: 'Manhattan',
        city: 'New York',
        region: 'NY',
        prefixes: ['100', '101', '102'],
        transitHours: 2,
      },
      {
        code: 'BRONX-WESTCHESTER',
        name: 'Bronx and Westchester',
        city: 'Yonkers',
        region: 'NY',
        prefixes: ['104', '105', '106', '107', '108'],
        transitHours: 1.5,
      },
      {
        code: 'BROOKLYN-QUEENS',
        name: 'Brooklyn and Queens',
        city: 'Brooklyn',
        region: 'NY',
        prefixes: ['110', '111', '112', '113', '114', '116'],
        transitHours: 2.5,
      },
      {
        code: 'LONG-ISLAND',
        name: 'Long Island',
        city: 'Hempstead',
        region: 'NY',
        prefixes: ['115', '117', '118', '119'],
        transitHours: 3,
      },
      {
        code: 'NORTH-JERSEY',
        name: 'North Jersey',
        city: 'Newark',
        region: 'NJ',
        prefixes: ['070', '071', '072', '073', '074', '075', '076'],
        transitHours: 2,
      },
      {
        code: 'STATEN-ISLAND',
        name: 'Staten Island',
        city: 'Staten Island',
        region: 'NY',
        prefixes: ['103'],
        transitHours: 2,
      },
    ],
    routes: [
      ['MANHATTAN'],
      ['BRONX-WESTCHESTER'],
      ['BROOKLYN-QUEENS', 'LONG-ISLAND'],
      ['NORTH-JERSEY', 'STATEN-ISLAND'],
    ],
    dockDoors: 8,
  },
  {
    code: 'DEN1X',
    name: 'Denver Cross-Dock',
    kind: 'CROSS_DOCK',
    timeZone: 'America/Denver',
    addressLine: '5101 Race St',
    city: 'Denver',
    region: 'CO',
    postalCode: '80216',
    share: 0.12,
    fuelRegion: 'US-ROCKY-MOUNTAIN',
    taxCode: 'US-CO',
    carriers: ['SMTL', 'PRHL'],
    zones: [
      {
        code: 'DENVER-METRO',
        name: 'Denver Metro',
        city: 'Denver',
        region: 'CO',
        prefixes: ['800', '801', '802'],
        transitHours: 1.5,
      },
      {
        code: 'BOULDER',
        name: 'Boulder and Longmont',
        city: 'Boulder',
        region: 'CO',
        prefixes: ['803', '804'],
        transitHours: 2,
      },
      {
        code: 'NORTHERN-CO',
        name: 'Northern Colorado',
        city: 'Fort Collins',
        region: 'CO',
        prefixes: ['805', '806'],
        transitHours: 3,
      },
      {
        code: 'COLORADO-SPRINGS',
        name: 'Colorado Springs',
        city: 'Colorado Springs',
        region: 'CO',
        prefixes: ['808', '809'],
        transitHours: 3,
      },
    ],
    routes: [
      ['DENVER-METRO', 'BOULDER'],
      ['NORTHERN-CO', 'COLORADO-SPRINGS'],
    ],
    dockDoors: 12,
  },
];

export const CARRIER_SPECS = [
  { code: 'RDWF', scac: 'RDWF', name: 'Redwood Freight Lines' },
  { code: 'GLKC', scac: 'GLKC', name: 'Great Lakes Carriers' },
  { code: 'ATXP', scac: 'ATXP', name: 'Atlantic Express Transport' },
  { code: 'SMTL', scac: 'SMTL', name: 'Summit Line Haul' },
  { code: 'PRHL', scac: 'PRHL', name: 'Prairie Haulage' },
] as const;

/** Fractions; the contract's jurisdiction taxes its freight. */
export const TAX_SPECS = [
  { code: 'US-CA', name: 'California', rate: '0.072500' },
  { code: 'US-IL', name: 'Illinois', rate: '0.062500' },
  { code: 'US-NY', name: 'New York', rate: '0.040000' },
  { code: 'US-CO', name: 'Colorado', rate: '0.029000' },
  { code: 'CA-ON', name: 'Ontario HST', rate: '0.130000' },
  { code: 'MX-IVA', name: 'Mexico IVA', rate: '0.160000' },
] as const;

/** Diesel, USD per gallon, around which each region's weekly index wanders. */
export const FUEL_REGIONS: Record<string, number> = {
  'US-WEST-COAST': 4.85,
  'US-MIDWEST': 3.72,
  'US-EAST-COAST': 4.05,
  'US-ROCKY-MOUNTAIN': 3.9,
};

/** Units of the quote currency per US dollar. */
export const FX_BASES: Record<string, number> = { CAD: 1.37, EUR: 0.92, MXN: 18.2 };
