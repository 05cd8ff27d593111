// AT701 shipment status codes (X12 element 1650) and the canonical event each becomes. Codes
// without an event are still returned as carrier statuses (map-214.ts), never dropped: estimates
// are ETAs, exceptions are for the exception rules, the rest is carrier-internal progress.
//
// | AT701 | Meaning                                         | Canonical event |
// |-------|-------------------------------------------------|-----------------|
// | AF    | Carrier departed pick-up location with shipment | DEPARTED        |
// | X1    | Arrived at delivery location                    | ARRIVED         |
// | X5    | Arrived at delivery location loading dock       | ARRIVED         |
// | S1    | Trailer spotted at consignee's location         | ARRIVED         |
// | D1    | Completed unloading at delivery location        | DELIVERED (+ POD_RECEIVED when the partner's POD references are present) |
// | X3    | Arrived at pick-up location                     | none: the truck is at our dock, the shipment has not moved |
// | X8    | Arrived at pick-up location loading dock        | none (as X3)    |
// | CP    | Completed loading at pick-up location           | none: LOADED needs our vehicle code |
// | AG    | Estimated delivery                              | none: an ETA    |
// | X2    | Estimated arrival at consignee's location       | none: an ETA    |
// | AH    | Attempted delivery                              | none: exception |
// | AP    | Delivery not completed                          | none: exception |
// | A7    | Refused by consignee                            | none: exception |
// | A9    | Shipment damaged                                | none: exception |
// | SD    | Shipment delayed                                | none: exception |
// | CA    | Shipment cancelled (by the carrier)             | none: not an order cancellation |
// | CD    | Carrier departed delivery location              | none: D1 reports the delivery |
// | XB    | Shipment acknowledged                           | none            |
// | X4, X6, P1, I1, OA, R1, J1, AM | terminal and en-route progress | none |

export type At7Event = 'DEPARTED' | 'ARRIVED' | 'DELIVERED';

export interface At7Status {
  description: string;
  event: At7Event | null;
}

export const AT7_STATUS: Readonly<Record<string, At7Status>> = {
  AF: { description: 'Carrier departed pick-up location with shipment', event: 'DEPARTED' },
  X1: { description: 'Arrived at delivery location', event: 'ARRIVED' },
  X5: { description: 'Arrived at delivery location loading dock', event: 'ARRIVED' },
  S1: { description: "Trailer spotted at consignee's location", event: 'ARRIVED' },
  D1: { description: 'Completed unloading at delivery location', event: 'DELIVERED' },
  X3: { description: 'Arrived at pick-up location', event: null },
  X8: { description: 'Arrived at pick-up location loading dock', event: null },
  CP: { description: 'Completed loading at pick-up location', event: null },
  AG: { description: 'Estimated delivery', event: null },
  X2: { description: "Estimated arrival at consignee's location", event: null },
  AH: { description: 'Attempted delivery', event: null },
  AP: { description: 'Delivery not completed', event: null },
  A7: { description: 'Refused by consignee', event: null },
  A9: { description: 'Shipment damaged', event: null },
  SD: { description: 'Shipment delayed', event: null },
  CA: { description: 'Shipment cancelled', event: null },
  CD: { description: 'Carrier departed delivery location', event: null },
  XB: { description: 'Shipment acknowledged', event: null },
  X4: { description: 'Arrived at terminal location', event: null },
  X6: { description: 'En route to delivery location', event: null },
  P1: { description: 'Departed terminal location', event: null },
  I1: { description: 'In-gate', event: null },
  OA: { description: 'Out-gate', event: null },
  R1: { description: 'Received from prior carrier', event: null },
  J1: { description: 'Delivered to connecting line', event: null },
  AM: { description: 'Loaded on truck', event: null },
};
