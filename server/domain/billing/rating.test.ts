import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { decimal, sum } from '../../lib/money';
import {
  chargeableWeight,
  estimateFreight,
  fuelPriceForWeek,
  rateShipment,
  selectBreak,
  selectContract,
  selectFuelBand,
  type FuelPrice,
  type Rating,
  type RatingContract,
  type RatingShipment,
} from './rating';

function contract(overrides: Partial<RatingContract> = {}): RatingContract {
  return {
    id: 'c-1',
    code: 'ACME-2026',
    currency: 'USD',
    validFrom: '2026-01-01',
    validTo: '2026-12-31',
    fuelBands: [
      { priceFrom: '1.0000', priceTo: '3.0000', percent: '0.10' },
      { priceFrom: '3.0000', priceTo: '3.5000', percent: '0.15' },
      { priceFrom: '3.5000', priceTo: null, percent: '0.20' },
    ],
    fuelRegion: 'US-EAST',
    taxRate: '0.0725',
    lanes: [
      {
        originSiteId: 'site-1',
        zoneId: 'z-nyc',
        minimumCharge: '75.0000',
        breaks: [
          { minWeightKg: '0', ratePerKg: '0.50' },
          { minWeightKg: '100', ratePerKg: '0.40' },
          { minWeightKg: '500', ratePerKg: '0.30' },
          { minWeightKg: '1000', ratePerKg: '0.25' },
        ],
      },
    ],
    accessorials: [
      {
        code: 'DG',
        description: 'Dangerous goods',
        unit: 'PER_SHIPMENT',
        amount: '45',
        automatic: true,
      },
      {
        code: 'HANDLING',
        description: 'Handling',
        unit: 'PER_HANDLING_UNIT',
        amount: '2.5',
        automatic: true,
      },
      {
        code: 'SECURITY',
        description: 'Security',
        unit: 'PER_KG',
        amount: '0.02',
        automatic: true,
      },
      {
        code: 'LIFTGATE',
        description: 'Liftgate',
        unit: 'PER_SHIPMENT',
        amount: '35',
        automatic: false,
      },
    ],
    ...overrides,
  };
}

function shipment(overrides: Partial<RatingShipment> = {}): RatingShipment {
  return {
    originSiteId: 'site-1',
    zoneId: 'z-nyc',
    shipDate: '2026-12-09',
    weightKg: '250',
    volumeM3: '0.5',
    handlingUnits: 3,
    dangerousGoods: false,
    ...overrides,
  };
}

const FUEL: FuelPrice[] = [
  { region: 'US-EAST', weekStart: '2026-11-30', price: '3.6000' },
  { region: 'US-EAST', weekStart: '2026-12-07', price: '3.2500' },
  { region: 'US-WEST', weekStart: '2026-12-07', price: '4.1000' },
];

function rated(s: Partial<RatingShipment> = {}, c: Partial<RatingContract> = {}): Rating {
  const r = rateShipment([contract(c)], shipment(s), FUEL);
  if (!r.ok) throw new Error(r.message);

  return r;
}

const amounts = (r: Rating) =>
  Object.fromEntries(r.lines.map((l) => [l.code, l.amount.toFixed(2)]));

describe('rateShipment()', () => {
  it('rates freight, fuel, automatic accessorials and tax, each line rounded', () => {
    const r = rated();
    expect(amounts(r)).toEqual({
      FREIGHT: '100.00',
      FUEL: '15.00',
      HANDLING: '7.50',
      SECURITY: '5.00',
      TAX: '9.24',
    });
    expect(r.lines.map((l) => l.kind)).toEqual([
      'FREIGHT',
      'FUEL_SURCHARGE',
      'ACCESSORIAL',
      'ACCESSORIAL',
      'TAX',
    ]);
    expect([r.subtotal.toFixed(2), r.tax.toFixed(2), r.total.toFixed(2)]).toEqual([
      '127.50',
      '9.24',
      '136.74',
    ]);
    expect(r.lines[0]?.basis).toMatchObject({
      chargeableWeightKg: '250',
      breakMinWeightKg: '100',
      ratePerKg: '0.4',
    });
    expect(r.lines[1]?.basis).toMatchObject({
      weekStart: '2026-12-07',
      fuelPrice: '3.25',
      percent: '0.15',
    });
  });

  it('charges bulky freight by volumetric weight (250 kg per m³)', () => {
    const r = rated({ weightKg: '100', volumeM3: '2' });
    expect(r.chargeableWeightKg.toString()).toBe('500');
    expect(amounts(r).FREIGHT).toBe('150.00');
  });

  it.each([
    ['99.999', '0.5', '50.00'],
    ['100', '0.4', '40.00'],
    ['499.999', '0.4', '200.00'],
    ['500', '0.3', '150.00'],
    ['1000', '0.25', '250.00'],
  ])('uses the highest break at or below %s kg (rate %s)', (weightKg, rate, freight) => {
    const r = rated({ weightKg, volumeM3: '0' });
    expect(r.lines[0]?.basis.ratePerKg).toBe(rate);
    expect(amounts(r).FREIGHT).toBe(freight);
  });

  it('adds a minimum adjustment up to the minimum charge and surcharges fuel on it', () => {
    const r = rated({ weightKg: '10', volumeM3: '0' });
    expect(amounts(r)).toMatchObject({ FREIGHT: '5.00', MINIMUM: '70.00', FUEL: '11.25' });
    expect(r.lines[1]?.kind).toBe('MINIMUM_ADJUSTMENT');
    expect(amounts(rated({ weightKg: '200', volumeM3: '0' }))).not.toHaveProperty('MINIMUM');
  });

  it.each([
    ['2.9999', '0.1'],
    ['3.0000', '0.15'],
    ['3.4999', '0.15'],
    ['3.5000', '0.2'],
    ['9.9900', '0.2'],
  ])('puts fuel price %s in the band priceFrom <= price < priceTo (%s)', (price, percent) => {
    const band = selectFuelBand(contract().fuelBands!, decimal(price));
    expect(band && decimal(band.percent).toString()).toBe(percent);
  });

  it('uses the fuel price of the week the shipment ships in', () => {
    expect(fuelPriceForWeek(FUEL, 'US-EAST', '2026-12-13')?.price).toBe('3.2500');
    expect(fuelPriceForWeek(FUEL, 'US-EAST', '2026-12-06')?.price).toBe('3.6000');
    expect(fuelPriceForWeek(FUEL, 'US-EAST', '2026-12-14')).toBeNull();
    expect(rated({ shipDate: '2026-12-06' }).lines[1]?.basis.percent).toBe('0.2');
  });

  it('rounds tax half-even', () => {
    const flat = {
      taxRate: '0.1',
      fuelBands: null,
      accessorials: [],
      lanes: [
        {
          originSiteId: 'site-1',
          zoneId: 'z-nyc',
          minimumCharge: '0',
          breaks: [{ minWeightKg: '0', ratePerKg: '1' }],
        },
      ],
    };
    expect(rated({ weightKg: '100.05', volumeM3: '0' }, flat).tax.toFixed(2)).toBe('10.00');
    expect(rated({ weightKg: '100.15', volumeM3: '0' }, flat).tax.toFixed(2)).toBe('10.02');
    expect(rated({ weightKg: '100.125', volumeM3: '0' }, flat).lines[0]?.amount.toFixed(2)).toBe(
      '100.12',
    );
  });

  it('omits fuel and tax lines for a contract without a fuel table or tax jurisdiction', () => {
    const r = rated({}, { fuelBands: null, taxRate: null });
    expect(r.lines.map((l) => l.code)).toEqual(['FREIGHT', 'HANDLING', 'SECURITY']);
    expect(r.total.equals(r.subtotal)).toBe(true);
  });

  it('charges the dangerous-goods fee only when the shipment carries dangerous goods', () => {
    expect(amounts(rated({ dangerousGoods: true })).DG).toBe('45.00');
    expect(amounts(rated({ dangerousGoods: false }))).not.toHaveProperty('DG');
  });

  it('adds requested accessorials and assumes one handling unit when uncounted', () => {
    const r = rated({ requestedAccessorials: ['LIFTGATE'], handlingUnits: null });
    expect(amounts(r)).toMatchObject({ LIFTGATE: '35.00', HANDLING: '2.50' });
    expect(r.lines.find((l) => l.code === 'HANDLING')?.basis.handlingUnitsAssumed).toBe(true);
  });
});

describe('rateShipment() NO_RATE', () => {
  it.each<[string, Partial<RatingShipment>, Partial<RatingContract>, string]>([
    ['no contract valid on the date', { shipDate: '2027-01-01' }, {}, 'CONTRACT'],
    ['no lane to the zone', { zoneId: 'z-la' }, {}, 'LANE'],
    ['no lane from the site', { originSiteId: 'site-2' }, {}, 'LANE'],
    ['no fuel price for the week', { shipDate: '2026-12-20' }, {}, 'FUEL_PRICE'],
    ['no fuel region on the contract', {}, { fuelRegion: null }, 'FUEL_PRICE'],
    [
      'no fuel band for the price',
      {},
      { fuelBands: [{ priceFrom: '5', priceTo: null, percent: '0.3' }] },
      'FUEL_BAND',
    ],
    [
      'an unknown requested accessorial',
      { requestedAccessorials: ['WHITE_GLOVE'] },
      {},
      'ACCESSORIAL',
    ],
  ])('names what is missing: %s', (_name, s, c, missing) => {
    const r = rateShipment([contract(c)], shipment(s), FUEL);
    expect(r).toMatchObject({ ok: false, code: 'NO_RATE', missing });
  });

  it('names the weight with no break', () => {
    const lanes = [
      {
        originSiteId: 'site-1',
        zoneId: 'z-nyc',
        minimumCharge: '0',
        breaks: [{ minWeightKg: '50', ratePerKg: '1' }],
      },
    ];
    const r = rateShipment(
      [contract({ lanes })],
      shipment({ weightKg: '10', volumeM3: '0' }),
      FUEL,
    );
    expect(r).toMatchObject({ ok: false, missing: 'BREAK', contractCode: 'ACME-2026' });
    expect(!r.ok && r.message).toContain('10 kg');
  });
});

describe('contract and break selection', () => {
  it('takes the renewal that started last and treats validTo as inclusive', () => {
    const old = contract({ id: 'old', code: 'OLD', validFrom: '2025-01-01', validTo: null });
    const renewal = contract({
      id: 'new',
      code: 'NEW',
      validFrom: new Date('2026-06-01T00:00:00Z'),
    });
    expect(selectContract([old, renewal], '2026-05-31')?.code).toBe('OLD');
    expect(selectContract([old, renewal], '2026-06-01')?.code).toBe('NEW');
    expect(selectContract([renewal], '2026-12-31')?.code).toBe('NEW');
    expect(selectContract([renewal], '2027-01-01')).toBeNull();
    expect(() => selectContract([renewal], '2026-13-01')).toThrow(RangeError);
  });

  it('computes chargeable weight and refuses negative measures', () => {
    expect(chargeableWeight('80', '0.4').toString()).toBe('100');
    expect(chargeableWeight('80', '0.4', 167).toString()).toBe('80');
    expect(() => chargeableWeight('-1', '0')).toThrow(RangeError);
    expect(selectBreak([], decimal(5))).toBeNull();
  });
});

describe('estimateFreight()', () => {
  it('is the line haul only, minimum included, and needs no fuel index', () => {
    const e = estimateFreight(
      [contract()],
      shipment({ weightKg: '10', volumeM3: '0', shipDate: '2026-12-20' }),
    );
    expect(e.ok && [e.amount.toFixed(2), e.currency]).toEqual(['75.00', 'USD']);
    const big = estimateFreight([contract()], shipment());
    expect(big.ok && big.amount.toFixed(2)).toBe('100.00');
  });

  it('passes NO_RATE through', () => {
    expect(estimateFreight([], shipment())).toMatchObject({ ok: false, missing: 'CONTRACT' });
  });
});

describe('rating properties', () => {
  // Grams within the 100-500 kg break, with volume small enough never to matter.
  const grams = fc.integer({ min: 100_000, max: 499_999 });

  it('is monotone in weight within a break', () => {
    fc.assert(
      fc.property(grams, grams, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const kg = (g: number) => decimal(g).dividedBy(1000).toString();
        const light = rated({ weightKg: kg(lo), volumeM3: '0' });
        const heavy = rated({ weightKg: kg(hi), volumeM3: '0' });
        expect(light.total.lte(heavy.total)).toBe(true);
      }),
    );
  });

  it('adds up: lines of two places, subtotal of the lines, total of subtotal and tax', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 0, max: 20_000 }),
        (g, litres) => {
          const r = rated({
            weightKg: decimal(g).dividedBy(1000).toString(),
            volumeM3: decimal(litres).dividedBy(1000).toString(),
          });
          const untaxed = r.lines.filter((l) => l.kind !== 'TAX');
          expect(r.lines.every((l) => l.amount.decimalPlaces() <= 2)).toBe(true);
          expect(r.subtotal.equals(sum(untaxed.map((l) => l.amount)))).toBe(true);
          expect(r.total.equals(r.subtotal.plus(r.tax))).toBe(true);
          expect(r.subtotal.gte(75)).toBe(true);
        },
      ),
    );
  });
});
