// Test data for the gate's unit tests: one shipment that passes every check, and builders to
// vary it. Only *.test.ts files import this.
import { decimal } from '../../lib/money';
import type { GateInput, GateLine, GateSku } from './types';

export const NY = 'America/New_York';

/** Monday 2026-12-07, 14:00 in New York (EST): before the 16:00 cut-off of the 18:00 departure. */
export const MONDAY_2PM = new Date('2026-12-07T19:00:00Z');

export function widget(overrides: Partial<GateSku> = {}): GateSku {
  return {
    code: 'WIDGET',
    baseUom: 'EA',
    unNumber: null,
    hazardClass: null,
    units: [{ uomCode: 'CS', factor: '12' }],
    weightKg: decimal('0.5'),
    volumeM3: decimal('0.002'),
    ...overrides,
  };
}

export function paint(overrides: Partial<GateSku> = {}): GateSku {
  return widget({
    code: 'PAINT',
    unNumber: 'UN1263',
    hazardClass: '3',
    units: [],
    weightKg: decimal('4'),
    volumeM3: decimal('0.005'),
    ...overrides,
  });
}

export function line(overrides: Partial<GateLine> = {}): GateLine {
  return {
    orderLineId: 'ol-1',
    sku: widget(),
    orderedQty: decimal(2),
    orderedUom: 'CS',
    pickedQty: decimal(24),
    lot: 'LOT-A',
    location: 'A-01-01',
    confirmed: true,
    qcFailed: false,
    ...overrides,
  };
}

export function paintLine(overrides: Partial<GateLine> = {}): GateLine {
  return line({
    orderLineId: 'ol-2',
    sku: paint(),
    orderedQty: decimal(10),
    orderedUom: 'EA',
    pickedQty: decimal(10),
    lot: 'LOT-P',
    location: 'DG-01',
    ...overrides,
  });
}

/** A dangerous-goods shipment of widgets and paint that passes every check. */
export function gateInput(): GateInput {
  return {
    shipment: {
      id: 'sh-1',
      stagedAt: MONDAY_2PM,
      dangerousGoods: true,
      weightKg: decimal(52),
      volumeM3: decimal('0.098'),
      goodsValue: decimal('1200.00'),
      currency: 'USD',
    },
    lines: [line(), paintLine()],
    customer: {
      id: 'cu-1',
      allowsPartial: false,
      creditLimit: decimal('10000.00'),
      creditBlocked: false,
      currency: 'USD',
    },
    exposure: {
      currency: 'USD',
      releasedUnpaid: decimal('2000.00'),
      shippedOrReadyNotInvoiced: decimal('3000.00'),
      thisShipment: decimal('1500.00'),
    },
    documents: [{ kind: 'DANGEROUS_GOODS_DECLARATION', orderLineId: 'ol-2' }],
    shipTo: { postalCode: '10001', country: 'US' },
    zones: [
      { id: 'z-nyc', code: 'NYC', country: 'US', postalPrefixes: ['100', '101'] },
      { id: 'z-nj', code: 'NJ-N', country: 'US', postalPrefixes: ['07'] },
    ],
    site: { id: 'site-1', timeZone: NY },
    routes: [
      {
        id: 'r-nyc',
        code: 'NYC-EVE',
        zoneIds: ['z-nyc'],
        departures: [
          { id: 'd-eve', weekdays: [1, 2, 3, 4, 5], departMinute: 18 * 60, cutoffMinute: 16 * 60 },
        ],
      },
    ],
    vehicles: [
      {
        id: 'v-van',
        code: 'VAN-1',
        maxWeightKg: decimal(1000),
        maxVolumeM3: decimal(10),
        dgClasses: [],
      },
      {
        id: 'v-dg',
        code: 'TRUCK-DG',
        maxWeightKg: decimal(8000),
        maxVolumeM3: decimal(40),
        dgClasses: ['3', '8'],
      },
    ],
    settings: { quantityTolerance: { fraction: decimal('0.02'), absolute: decimal(0) } },
  };
}
