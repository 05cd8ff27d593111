import { createHash } from 'node:crypto';

import type { Db } from '../../db/client';
import type { DocumentFormat } from '../../db/generated/enums';
import { Prisma } from '../../db/generated/client';
import { AppError } from '../../lib/errors';
import type { AckControlNumbers } from '../../integration/x12/ack-997';
import type { AdapterEvent, MappingContext, Unresolved } from '../../integration/types';
import { parseEvent } from '../events/schema';
import { resolveByFacts } from '../exceptions/open-exception';
import { recordEvents, summarise } from '../intake/record-events';
import type { IntakeSummary } from '../intake/record-events.types';
import type { PartnerPrincipal } from './authenticate-partner';
import { heldEventIds, orphanKey } from './mappings/orphan-text';
import { parkHeldEvents, type Orphan } from './mappings/park-held';
import { buildReferenceMap } from './reference-map';

// What every inbound document shares, whatever its format: the mapping context it is read
// against (master data and the partner's own mappings), its row in integration_documents (kept
// before its events, so that they can link to it), the events a reference holds back parked as
// orphans, the others through the one intake, and its result saved on the row.

export interface ReceiveOptions {
  requestId: string;
  now: Date;
}

/** The key's first site (by code): a document's default site, whose admins own its orphans. */
export function defaultSiteCode(siteCodes: Iterable<string>): string {
  const [siteCode] = [...siteCodes].sort();
  if (!siteCode) throw new AppError('FORBIDDEN', 'this API key is scoped to no site');

  return siteCode;
}

export async function mappingContextFor(
  db: Db,
  principal: Pick<PartnerPrincipal, 'partnerId' | 'siteCodes'>,
  now: Date,
): Promise<MappingContext> {
  const siteCode = defaultSiteCode(principal.siteCodes);
  const [site, references] = await Promise.all([
    db.site.findUniqueOrThrow({ where: { code: siteCode }, select: { timeZone: true } }),
    buildReferenceMap(db, principal.partnerId),
  ]);

  return { references, site: siteCode, timeZone: site.timeZone, now };
}

/**
 * Our acknowledgements' control numbers, derived from the id of the document they answer: no
 * sequence exists without a schema change, and a document's id is fixed, so a resend of the
 * same answer carries the same numbers. ISA13 and GS06 are read from different bytes of the
 * id's SHA-256 and fall in 1..999999999; two documents share a number about once in 10^9.
 */
export function ackControlNumbers(documentId: string): AckControlNumbers & { ta1: number } {
  const digest = createHash('sha256').update(documentId).digest();
  const at = (offset: number) => (digest.readUInt32BE(offset) % 999_999_999) + 1;

  return { interchange: at(0), group: at(4), firstSet: 1, ta1: at(8) };
}

export interface DocumentIntake extends IntakeSummary {
  /** Events a reference that matched nothing holds back: kept in the document, not recorded. */
  heldBack: string[];
  /** The orphan exception of each held-back event, and what it misses. */
  orphans: Orphan[];
}

/**
 * The adapter's events through the schema and the intake, linked to their document. An event
 * that a reference holds back is not recorded: it carries the partner's raw value where our code
 * belongs, and once the reference is mapped a re-read of the kept document (mappings/reapply-
 * held.ts) yields the same event id with the right content, which the intake would refuse as a
 * conflict had the first version been stored. Held events are parked first: should the intake
 * then fail, the document goes (its held rows with it) and its new orphans are resolved, so that
 * the partner's retry is read afresh.
 */
export async function recordDocumentEvents(
  db: Db,
  principal: PartnerPrincipal,
  read: { events: readonly AdapterEvent[]; unresolved: readonly Unresolved[] },
  document: { id: string; source: 'EDI' | 'EPCIS' },
  options: ReceiveOptions,
): Promise<DocumentIntake> {
  const heldBack = heldEventIds(read.unresolved);
  const held = new Set(heldBack);
  const orphans = heldBack.length
    ? await park(db, principal, read, document.id).catch(async (error) => {
        await db.integrationDocument.delete({ where: { id: document.id } });
        throw error;
      })
    : [];
  const recorded = read.events.filter((event) => !held.has(event.eventId));
  const results = recorded.map((event) => parseEvent(event, { now: options.now }));
  const record = { source: document.source, documentId: document.id, requestId: options.requestId };
  const answers = await recordEvents(db, principal, results, record).catch(async (error) => {
    // recordEvents writes in one transaction, so nothing links to the document yet; removing it
    // lets the partner's retry be read afresh rather than answered as a duplicate with no result.
    await db.$transaction(async (tx) => {
      await tx.integrationDocument.delete({ where: { id: document.id } });
      const keys = orphans.map((o) => orphanKey(principal.partnerId, o.eventId));
      await resolveByFacts(tx, keys, 'its document failed to record and was not kept');
    });
    throw error;
  });

  return { ...summarise(answers), heldBack, orphans };
}

async function park(
  db: Db,
  principal: PartnerPrincipal,
  read: { events: readonly AdapterEvent[]; unresolved: readonly Unresolved[] },
  documentId: string,
): Promise<Orphan[]> {
  const code = defaultSiteCode(principal.siteCodes);

  return db.$transaction(async (tx) => {
    const site = await tx.site.findUnique({ where: { code }, select: { id: true } });
    const scope = { siteCodes: [...principal.siteCodes], eventTypes: [...principal.eventTypes] };
    const partner = { id: principal.partnerId, code: principal.partnerCode };

    return parkHeldEvents(tx, { documentId, partner, siteId: site?.id ?? null, scope }, read);
  });
}

export interface NewDocument {
  id: string;
  partnerId: string;
  format: DocumentFormat;
  controlRef: string | null;
  body: string;
}

export interface FirstDocument {
  id: string;
  receivedAt: Date;
  result: Prisma.JsonValue;
}

/**
 * Stores the document unless the partner already sent one with the same control reference, in
 * which case that first one is returned. The lock makes two concurrent copies take turns: the
 * table has no unique index on the reference, and none can be added here.
 */
export async function claimDocument(db: Db, document: NewDocument): Promise<FirstDocument | null> {
  return db.$transaction(async (tx) => {
    if (document.controlRef !== null) {
      const lock = `document:${document.partnerId}:${document.format}:${document.controlRef}`;
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${lock}, 0))`;
      const first = await tx.integrationDocument.findFirst({
        where: {
          partnerId: document.partnerId,
          format: document.format,
          controlRef: document.controlRef,
        },
        orderBy: { receivedAt: 'asc' },
        select: { id: true, receivedAt: true, result: true },
      });
      if (first) return first;
    }
    await tx.integrationDocument.create({ data: document });

    return null;
  });
}

export async function saveResult(db: Db, documentId: string, result: object): Promise<void> {
  await db.integrationDocument.update({
    where: { id: documentId },
    data: { result: result as Prisma.InputJsonObject },
  });
}
