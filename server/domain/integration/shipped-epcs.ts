import type { Db } from '../../db/client';
import { documentEpcs, mapEpcis, outboundEpcs } from '../../integration/epcis/map-epcis';
import { readEpcis, type ReadEvent } from '../../integration/epcis/schema';
import type { AdapterEvent, MapResult, MappingContext, ShippedRef } from '../../integration/types';

// What left our sites, by EPC: every packing and shipping event an EPCIS document maps at one of
// our sites leaves its EPCs here, so that a later receipt of the same EPCs at one of our sites is
// read as a return of that order or shipment (RETURN_RECEIVED) rather than an inbound receipt.

export type EpcisRead =
  { ok: true; read: readonly ReadEvent[]; result: MapResult } | { ok: false; reason: string };

/** Reads and maps an EPCIS document, with the EPCs it names looked up among those we shipped. */
export async function mapEpcisDocument(
  db: Db,
  raw: unknown,
  context: MappingContext,
): Promise<EpcisRead> {
  const read = readEpcis(raw);
  if (!read.ok) return read;
  const shippedEpcs = await shippedRefs(db, documentEpcs(read.events));

  return {
    ok: true,
    read: read.events,
    result: mapEpcis(read.events, { ...context, shippedEpcs }),
  };
}

/** The order or shipment each of `epcs` last left our sites in. */
export async function shippedRefs(
  db: Db,
  epcs: readonly string[],
): Promise<Record<string, ShippedRef>> {
  if (epcs.length === 0) return {};
  const rows = await db.shippedEpc.findMany({
    where: { epc: { in: [...epcs] } },
    orderBy: { recordedAt: 'asc' },
    select: { epc: true, orderRef: true, shipmentRef: true },
  });
  const refs: Record<string, ShippedRef> = {};
  for (const row of rows) {
    refs[row.epc] = {
      ...(row.orderRef ? { orderRef: row.orderRef } : {}),
      ...(row.shipmentRef ? { shipmentRef: row.shipmentRef } : {}),
    };
  }

  return refs;
}

/**
 * Keeps the EPCs of the document's packing and shipping events at our sites. Idempotent: a
 * document read again (a resend, a re-read after a mapping) adds nothing twice.
 */
export async function recordShippedEpcs(
  db: Db,
  documentId: string,
  read: readonly ReadEvent[],
  events: readonly AdapterEvent[],
): Promise<number> {
  const outbound = outboundEpcs(read, events);
  if (outbound.length === 0) return 0;
  const siteCodes = [...new Set(events.map((e) => e.site))];
  const sites = await db.site.findMany({
    where: { code: { in: siteCodes } },
    select: { id: true, code: true },
  });
  const siteOf = new Map(sites.map((s) => [s.code, s.id]));
  const site = new Map(events.map((e) => [e.eventId, siteOf.get(e.site)]));
  const rows = outbound.flatMap(({ eventId, epcs, ref }) => {
    const siteId = site.get(eventId);
    if (!siteId) return [];

    return epcs.map((epc) => ({
      epc,
      documentId,
      eventId,
      siteId,
      orderRef: ref.orderRef ?? null,
      shipmentRef: ref.shipmentRef ?? null,
    }));
  });
  const { count } = await db.shippedEpc.createMany({ data: rows, skipDuplicates: true });

  return count;
}
