import type { Tx } from '../../../db/client';
import type { EventType } from '../../../db/generated/enums';
import type { Prisma } from '../../../db/generated/client';
import type { AdapterEvent, Unresolved } from '../../../integration/types';
import { openException } from '../../exceptions/open-exception';
import { heldEventIds, missText, orphanKey, orphanTitle } from './orphan-text';

// An event a document holds back is never dropped: it is kept as a held row of its document
// (what the re-read after a mapping change starts from) and parked as an ORPHAN_EVENT exception
// that names every reference it misses, owned by the admin team of the partner key's site. The
// exception is keyed by partner and event id, so a resent document refreshes the same one.

export type Miss = Omit<Unresolved, 'eventIds'>;

export interface Orphan {
  eventId: string;
  exceptionId: string;
  unmatched: string[];
}

export interface HeldDocument {
  documentId: string;
  partner: { id: string; code: string };
  /** The site whose admin team owns the orphans: the key's first site. */
  siteId: string | null;
  scope: { siteCodes: readonly string[]; eventTypes: readonly EventType[] };
}

export function missesOf(unresolved: readonly Unresolved[], eventId: string): Miss[] {
  return unresolved
    .filter((u) => u.eventIds.includes(eventId))
    .map(({ eventIds: _ids, ...miss }) => miss);
}

export async function parkHeldEvents(
  tx: Tx,
  document: HeldDocument,
  read: { events: readonly AdapterEvent[]; unresolved: readonly Unresolved[] },
): Promise<Orphan[]> {
  const ids = heldEventIds(read.unresolved);
  if (ids.length === 0) return [];
  await tx.heldDocumentEvent.createMany({
    data: ids.map((eventId) => ({
      documentId: document.documentId,
      partnerId: document.partner.id,
      eventId,
      unmatched: missesOf(read.unresolved, eventId) as unknown as Prisma.InputJsonValue,
      siteCodes: [...document.scope.siteCodes],
      eventTypes: [...document.scope.eventTypes],
    })),
    skipDuplicates: true,
  });
  const byId = new Map(read.events.map((e) => [e.eventId, e]));
  const orphans: Orphan[] = [];
  for (const eventId of ids) {
    const misses = missesOf(read.unresolved, eventId);
    orphans.push(await openOrphan(tx, document, { eventId, event: byId.get(eventId), misses }));
  }

  return orphans;
}

/** Opens the event's orphan, or refreshes its title and detail with what it misses now. */
export async function openOrphan(
  tx: Tx,
  document: Pick<HeldDocument, 'documentId' | 'partner' | 'siteId'>,
  held: { eventId: string; event?: AdapterEvent; misses: readonly Miss[]; title?: string },
): Promise<Orphan> {
  const { partner } = document;
  const { eventId, event, misses } = held;
  const ref = event?.orderRef ?? event?.shipmentRef;
  const unmatched = misses.map((m) => missText(m, partner.code));
  const { id } = await openException(tx, {
    type: 'ORPHAN_EVENT',
    severity: 'HIGH',
    ownerTeam: 'ADMIN',
    siteId: document.siteId,
    dedupeKey: orphanKey(partner.id, eventId),
    title: held.title ?? orphanTitle({ eventId, type: event?.type, ref }, misses, partner.code),
    detail: {
      documentId: document.documentId,
      partnerId: partner.id,
      partnerCode: partner.code,
      eventId,
      eventType: event?.type ?? null,
      ref: ref ?? null,
      unmatched: misses.map((m, i) => ({ ...m, text: unmatched[i] })),
    } as Prisma.InputJsonValue,
  });

  return { eventId, exceptionId: id, unmatched };
}
