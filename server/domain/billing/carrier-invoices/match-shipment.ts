// Which shipment a carrier document is about, from the references it carries as sent (a 210's
// B303 and N9s, a 990's B102). Our shipment ref is what we tender (204 B204) and so the best
// evidence; the carrier's PRO as our tracking ref comes next, then our order ref (a shipper's
// reference the carrier copied). The strongest kind that matches decides, and it must name one
// shipment: two shipments matched alike is no match, since guessing would bill the wrong one.

export interface ShipmentCandidate {
  id: string;
  ref: string;
  trackingRef: string | null;
  orderRef: string;
}

export type ShipmentMatch =
  | { kind: 'MATCHED'; shipmentId: string; shipmentRef: string; by: MatchedBy; value: string }
  | { kind: 'UNMATCHED'; reason: string };

export type MatchedBy = 'SHIPMENT_REF' | 'TRACKING_REF' | 'ORDER_REF';

const KINDS: { by: MatchedBy; label: string; of: (c: ShipmentCandidate) => string | null }[] = [
  { by: 'SHIPMENT_REF', label: 'shipment ref', of: (c) => c.ref },
  { by: 'TRACKING_REF', label: 'tracking ref', of: (c) => c.trackingRef },
  { by: 'ORDER_REF', label: 'order ref', of: (c) => c.orderRef },
];

export function matchShipment(
  refs: readonly string[],
  candidates: readonly ShipmentCandidate[],
): ShipmentMatch {
  if (refs.length === 0) {
    return { kind: 'UNMATCHED', reason: 'the document carries no shipment reference' };
  }
  const wanted = new Set(refs);
  for (const { by, label, of } of KINDS) {
    const hits = new Map<string, { candidate: ShipmentCandidate; value: string }>();
    for (const candidate of candidates) {
      const value = of(candidate);
      if (value !== null && wanted.has(value)) hits.set(candidate.id, { candidate, value });
    }
    if (hits.size > 1) {
      const named = [...hits.values()].map((h) => `${h.candidate.ref} (${h.value})`).sort();
      return {
        kind: 'UNMATCHED',
        reason: `its references match ${hits.size} shipments by ${label}: ${named.join(', ')}`,
      };
    }
    const [hit] = hits.values();
    if (hit) {
      const { candidate, value } = hit;
      return { kind: 'MATCHED', shipmentId: candidate.id, shipmentRef: candidate.ref, by, value };
    }
  }

  return {
    kind: 'UNMATCHED',
    reason: `no shipment, tracking or order ref matches ${refs.map((r) => `"${r}"`).join(', ')}`,
  };
}
