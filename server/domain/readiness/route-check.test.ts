import { describe, expect, it } from 'vitest';

import { decimal } from '../../lib/money';
import { gateInput, line, paint, paintLine } from './gate-fixtures';
import { checkRoute } from './route-check';
import type { GateInput } from './types';

function shipTo(postalCode: string, country = 'US'): GateInput {
  return { ...gateInput(), shipTo: { postalCode, country } };
}

function load(weightKg: string | null, volumeM3: string | null, dangerousGoods = true): GateInput {
  const input = gateInput();
  const shipment = {
    ...input.shipment,
    dangerousGoods,
    weightKg: weightKg === null ? null : decimal(weightKg),
    volumeM3: volumeM3 === null ? null : decimal(volumeM3),
  };

  return { ...input, shipment, lines: dangerousGoods ? input.lines : [line()] };
}

function stagedAt(iso: string): GateInput {
  const input = gateInput();

  return { ...input, shipment: { ...input.shipment, stagedAt: new Date(iso) } };
}

describe('checkRoute() eligibility', () => {
  it('passes and plans the departure the stage makes', () => {
    const r = checkRoute(gateInput());
    expect(r.verdict).toBe('PASS');
    expect(r.plannedDeparture).toEqual({
      departureId: 'd-eve',
      routeId: 'r-nyc',
      serviceDate: '2026-12-07',
      departsAt: new Date('2026-12-07T23:00:00Z'),
      cutoffAt: new Date('2026-12-07T21:00:00Z'),
    });
    expect(r.inputs).toMatchObject({
      zones: ['NYC'],
      routes: ['NYC-EVE'],
      dgClasses: ['3'],
      certifiedVehicles: ['TRUCK-DG'],
      fittingVehicles: ['TRUCK-DG'],
      plannedDeparture: {
        departureId: 'd-eve',
        routeId: 'r-nyc',
        serviceDate: '2026-12-07',
        departsAt: '2026-12-07T23:00:00.000Z',
        cutoffAt: '2026-12-07T21:00:00.000Z',
      },
    });
    expect(r.reason).toBe('Makes route NYC-EVE departing 2026-12-07; fits TRUCK-DG');
  });

  it('matches postal prefixes on the bare characters and countries case-insensitively', () => {
    expect(checkRoute(shipTo('10001-1234', 'us')).verdict).toBe('PASS');
    expect(checkRoute(shipTo(' 101 17 ')).verdict).toBe('PASS');
  });

  it('fails a ship-to outside every zone', () => {
    const r = checkRoute(shipTo('90210'));
    expect(r).toMatchObject({
      verdict: 'FAIL',
      holdReason: 'ROUTE_INELIGIBLE',
      exceptionType: 'ROUTE_INELIGIBLE',
      ownerTeam: 'DISPATCH',
      reason: 'Ship-to 90210, US is outside every delivery zone',
    });
    expect(r.plannedDeparture).toBeUndefined();
  });

  it('fails a matching postal code in another country', () => {
    expect(checkRoute(shipTo('10001', 'CA')).verdict).toBe('FAIL');
  });

  it('fails a zone that no route of the site serves', () => {
    const r = checkRoute(shipTo('07030'));
    expect(r.reason).toBe('No route of the site serves zone NJ-N');
  });
});

describe('checkRoute() vehicles', () => {
  it('fails when no vehicle is certified for every DG class on board', () => {
    const input = gateInput();
    const gas = paint({ code: 'GAS', unNumber: 'UN1950', hazardClass: '2.1' });
    const lines = [...input.lines, paintLine({ orderLineId: 'ol-3', sku: gas })];
    const r = checkRoute({ ...input, lines });
    expect(r.verdict).toBe('FAIL');
    expect(r.reason).toBe('No vehicle at the site is certified for class 2.1, 3');
  });

  it('fails a DG SKU without a hazard class rather than guess a vehicle', () => {
    const input = gateInput();
    const lines = [paintLine({ sku: paint({ hazardClass: null }) })];
    expect(checkRoute({ ...input, lines }).reason).toBe(
      'No hazard class on dangerous-goods SKU PAINT',
    );
  });

  it('needs a DG-certified vehicle when the shipment is flagged DG without DG SKUs', () => {
    const input = gateInput();
    const r = checkRoute({ ...input, lines: [line()] });
    expect(r.inputs.certifiedVehicles).toEqual(['TRUCK-DG']);
  });

  it('fails a shipment too heavy for any certified vehicle', () => {
    const r = checkRoute(load('8000.001', '1'));
    expect(r.verdict).toBe('FAIL');
    expect(r.reason).toBe('No certified vehicle can carry 8000.001 kg / 1 m³');
  });

  it('fits a shipment at exactly the vehicle maximum', () => {
    expect(checkRoute(load('8000', '40')).verdict).toBe('PASS');
    expect(checkRoute(load('8000', '40.0001')).verdict).toBe('FAIL');
  });

  it('uses any vehicle for goods that are not dangerous', () => {
    const r = checkRoute(load('900', '5', false));
    expect(r.verdict).toBe('PASS');
    expect(r.inputs.fittingVehicles).toEqual(['VAN-1', 'TRUCK-DG']);
    expect(checkRoute(load('9000', '5', false)).reason).toBe('No vehicle can carry 9000 kg / 5 m³');
  });

  it("falls back to the picked lines' weight and volume when not measured", () => {
    const r = checkRoute(load(null, null));
    expect(r.inputs).toMatchObject({ weightKg: '52', volumeM3: '0.098', loadSource: 'lines' });
  });

  it('reports every independent problem', () => {
    const input = load('9000', '1');
    const r = checkRoute({ ...input, shipTo: { postalCode: '90210', country: 'US' } });
    expect(r.reason).toBe(
      'Ship-to 90210, US is outside every delivery zone; No certified vehicle can carry 9000 kg / 1 m³',
    );
  });
});

describe('checkRoute() departures', () => {
  it('plans the next day when staged after the cut-off, and still passes', () => {
    const r = checkRoute(stagedAt('2026-12-07T21:00:01Z'));
    expect(r.verdict).toBe('PASS');
    expect(r.plannedDeparture?.serviceDate).toBe('2026-12-08');
  });

  it('plans Monday when staged on Friday after the cut-off', () => {
    const r = checkRoute(stagedAt('2026-12-11T22:30:00Z'));
    expect(r.plannedDeparture?.serviceDate).toBe('2026-12-14');
    expect(r.plannedDeparture?.departsAt).toEqual(new Date('2026-12-14T23:00:00Z'));
  });

  it('fails when the serving routes run no departure', () => {
    const input = gateInput();
    const routes = input.routes.map((r) => ({ ...r, departures: [] }));
    const r = checkRoute({ ...input, routes });
    expect(r.reason).toBe('No departure of the serving routes runs within the horizon');
  });

  it('records invalid departures and plans a valid one', () => {
    const input = gateInput();
    const bad = { id: 'd-bad', weekdays: [1], departMinute: 360, cutoffMinute: 1320 };
    const routes = input.routes.map((r) => ({ ...r, departures: [bad, ...r.departures] }));
    const r = checkRoute({ ...input, routes });
    expect(r.verdict).toBe('PASS');
    expect(r.inputs.invalidDepartures).toEqual([
      { departureId: 'd-bad', problems: ['cut-off 22:00 is after departure 06:00'] },
    ]);
  });

  it('fails on an unknown site time zone instead of guessing one', () => {
    const input = gateInput();
    const r = checkRoute({ ...input, site: { ...input.site, timeZone: 'Eastern' } });
    expect(r.reason).toBe('The site\'s time zone "Eastern" is unknown');
  });
});
