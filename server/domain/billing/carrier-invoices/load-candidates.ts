import type { Tx } from '../../../db/client';
import type { ShipmentCandidate } from './match-shipment';

/** Every shipment one of `refs` could name, by its ref, its tracking ref or its order's ref. */
export async function loadShipmentCandidates(
  tx: Tx,
  refs: readonly string[],
): Promise<ShipmentCandidate[]> {
  if (refs.length === 0) return [];
  const list = [...new Set(refs)];
  const rows = await tx.shipment.findMany({
    where: {
      OR: [{ ref: { in: list } }, { trackingRef: { in: list } }, { order: { ref: { in: list } } }],
    },
    select: { id: true, ref: true, trackingRef: true, order: { select: { ref: true } } },
  });

  return rows.map((r) => ({
    id: r.id,
    ref: r.ref,
    trackingRef: r.trackingRef,
    orderRef: r.order.ref,
  }));
}

/** Our carriers' ids by code, for the codes the mapping table resolved SCACs to. */
export async function carrierIds(
  tx: Tx,
  codes: readonly (string | null)[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(codes.filter((c): c is string => c !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await tx.carrier.findMany({
    where: { code: { in: wanted } },
    select: { id: true, code: true },
  });

  return new Map(rows.map((r) => [r.code, r.id]));
}
