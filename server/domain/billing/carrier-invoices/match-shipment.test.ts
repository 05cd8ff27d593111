import { describe, expect, it } from 'vitest';

import { matchShipment, type ShipmentCandidate } from './match-shipment';

const a: ShipmentCandidate = { id: 'a', ref: 'SHP-1', trackingRef: 'PRO-9', orderRef: 'SO-1' };
const b: ShipmentCandidate = { id: 'b', ref: 'SHP-2', trackingRef: 'PRO-8', orderRef: 'SO-2' };

describe('matchShipment', () => {
  it('takes the shipment ref over a tracking or order ref naming another shipment', () => {
    expect(matchShipment(['PRO-8', 'SHP-1', 'SO-2'], [a, b])).toEqual({
      kind: 'MATCHED',
      shipmentId: 'a',
      shipmentRef: 'SHP-1',
      by: 'SHIPMENT_REF',
      value: 'SHP-1',
    });
  });

  it('falls back to the tracking ref, then to the order ref', () => {
    expect(matchShipment(['X', 'PRO-8'], [a, b])).toMatchObject({
      shipmentId: 'b',
      by: 'TRACKING_REF',
    });
    expect(matchShipment(['SO-1'], [a, b])).toMatchObject({ shipmentId: 'a', by: 'ORDER_REF' });
  });

  it('names what it looked for when nothing matches', () => {
    expect(matchShipment(['BOL-1', 'PO-2'], [a, b])).toEqual({
      kind: 'UNMATCHED',
      reason: 'no shipment, tracking or order ref matches "BOL-1", "PO-2"',
    });
    expect(matchShipment([], [a])).toEqual({
      kind: 'UNMATCHED',
      reason: 'the document carries no shipment reference',
    });
  });

  it('refuses to guess between two shipments matched alike', () => {
    expect(matchShipment(['PRO-9', 'PRO-8'], [a, b])).toEqual({
      kind: 'UNMATCHED',
      reason: 'its references match 2 shipments by tracking ref: SHP-1 (PRO-9), SHP-2 (PRO-8)',
    });
  });
});
