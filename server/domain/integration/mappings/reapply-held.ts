import type { Db } from '../../../db/client';
import type { EventType } from '../../../db/generated/enums';
import type { Prisma } from '../../../db/generated/client';
import type {
  AdapterEvent,
  MappingContext,
  ReferenceMap,
  Unresolved,
} from '../../../integration/types';
import { processX12 } from '../../../integration/x12/process-interchange';
import { logger } from '../../../lib/logger';
import { parseEvent } from '../../events/schema';
import { resolveByFacts } from '../../exceptions/open-exception';
import { recordEvents } from '../../intake/record-events';
import type { ItemAnswer } from '../../intake/record-events.types';
import { buildReferenceMap } from '../reference-map';
import { mapEpcisDocument, recordShippedEpcs } from '../shipped-epcs';
import { orphanKey } from './orphan-text';
import { missesOf, openOrphan } from './park-held';

// After a partner's mappings change: every stored document of that partner with held-back
// events is read again against the new mappings, and the held events that now match everything
// go through the one intake with the same event ids (a second run answers them as duplicates,
// so the job is safe to repeat). Their orphans resolve by themselves; an event that still
// misses something keeps its orphan, retitled with what it misses now.
// SHORTCOMING: a held event whose orphan a person resolves by hand (say, the partner resent a
// corrected document) stays held and is read again on each of its partner's mapping changes;
// the mark goes when resolving an orphan by hand releases its held row.

export const REAPPLY_TASK = 'reapply_held_events';

export function reapplyJobKey(partnerId: string): string {
  return `reapply:${partnerId}`;
}

const log = logger('reapply-held');

/** Documents read per round, and how many of them are worked on at once. */
const BATCH = 50;
// Each document's work is round trips to the database, independent of the others' (its own
// held rows, events and orphans); a few at once keep a connection pool busy, not the CPU.
const CONCURRENCY = 4;

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

export interface ReapplySummary {
  documents: number;
  released: number;
  stillHeld: number;
}

interface Reread {
  events: AdapterEvent[];
  unresolved: Unresolved[];
}

interface Partner {
  id: string;
  code: string;
  lenient: boolean;
}

export async function reapplyHeldEvents(
  db: Db,
  partnerId: string,
  options: { requestId?: string } = {},
): Promise<ReapplySummary> {
  const partner = await db.partner.findUniqueOrThrow({
    where: { id: partnerId },
    select: { id: true, code: true, lenient: true },
  });
  const references = await buildReferenceMap(db, partnerId);
  const sites = new Map<string, { id: string; timeZone: string } | null>();
  const summary: ReapplySummary = { documents: 0, released: 0, stillHeld: 0 };
  let after: string | undefined;
  for (;;) {
    const batch = await db.heldDocumentEvent.findMany({
      where: { partnerId, releasedAt: null, ...(after ? { documentId: { gt: after } } : {}) },
      orderBy: { documentId: 'asc' },
      distinct: ['documentId'],
      take: BATCH,
      select: { documentId: true },
    });
    const run = { references, sites, ...options };
    await inParallel(batch, CONCURRENCY, async ({ documentId }) => {
      const settled = await reapplyDocument(db, partner, documentId, run);
      summary.documents += 1;
      summary.released += settled.released;
      summary.stillHeld += settled.stillHeld;
    });
    if (batch.length < BATCH) break;
    after = batch.at(-1)!.documentId;
  }
  log.info({ partnerId, ...summary }, 'held events re-read');

  return summary;
}

interface DocumentRun {
  references: ReferenceMap;
  sites: Map<string, { id: string; timeZone: string } | null>;
  requestId?: string;
}

async function siteOf(db: Db, run: DocumentRun, code: string) {
  if (!run.sites.has(code)) {
    const site = await db.site.findUnique({
      where: { code },
      select: { id: true, timeZone: true },
    });
    run.sites.set(code, site);
  }

  return run.sites.get(code) ?? null;
}

async function reapplyDocument(db: Db, partner: Partner, documentId: string, run: DocumentRun) {
  const [document, held] = await Promise.all([
    db.integrationDocument.findUniqueOrThrow({
      where: { id: documentId },
      select: { format: true, controlRef: true, body: true },
    }),
    db.heldDocumentEvent.findMany({ where: { documentId, releasedAt: null } }),
  ]);
  // Every held row of a document was written from the one key that sent it.
  const scope = { siteCodes: held[0]!.siteCodes, eventTypes: held[0]!.eventTypes };
  const siteCode = [...scope.siteCodes].sort()[0] ?? '';
  const site = await siteOf(db, run, siteCode);
  const now = new Date();
  const context: MappingContext = {
    references: run.references,
    site: siteCode,
    timeZone: site?.timeZone ?? 'UTC',
    now,
  };
  const read = await reread(db, { id: documentId, ...document }, context, partner.lenient);
  if (!read) {
    log.error({ documentId }, 'a stored document with held events no longer reads');
    return { released: 0, stillHeld: held.length };
  }
  const stillMissing = new Set(read.unresolved.flatMap((u) => u.eventIds));
  const byId = new Map(read.events.map((e) => [e.eventId, e]));
  const ready = held.filter((h) => !stillMissing.has(h.eventId) && byId.has(h.eventId));
  const answers = await record(
    db,
    partner.id,
    scope,
    ready.map((h) => byId.get(h.eventId)!),
    {
      source: document.format === 'X12' ? 'EDI' : 'EPCIS',
      documentId,
      requestId: run.requestId,
      now,
    },
  );
  await settle(db, { partner, documentId, siteId: site?.id ?? null }, held, read, answers);
  const stillHeld = held.filter((h) => stillMissing.has(h.eventId)).length;

  return { released: held.length - stillHeld, stillHeld };
}

async function reread(
  db: Db,
  document: { id: string; format: string; controlRef: string | null; body: string },
  context: MappingContext,
  lenient: boolean,
): Promise<Reread | null> {
  if (document.format === 'EPCIS') {
    let raw: unknown;
    try {
      raw = JSON.parse(document.body);
    } catch {
      return null;
    }
    const processed = await mapEpcisDocument(db, raw, context);
    if (!processed.ok) return null;
    // Packing or shipping events whose site was only now mapped leave their EPCs too.
    await recordShippedEpcs(db, document.id, processed.read, processed.result.events);

    return processed.result;
  }
  if (document.format !== 'X12') return null;
  const processed = processX12(document.body, { context, lenient });
  if (!processed.ok) return null;
  // A body of several interchanges is kept whole on each one's row; its key picks this one.
  const interchange = processed.interchanges.find((i) => i.key === document.controlRef);

  return interchange ? { events: interchange.events, unresolved: interchange.unresolved } : null;
}

async function record(
  db: Db,
  partnerId: string,
  scope: { siteCodes: string[]; eventTypes: EventType[] },
  events: AdapterEvent[],
  options: { source: 'EDI' | 'EPCIS'; documentId: string; requestId?: string; now: Date },
): Promise<Map<string, ItemAnswer>> {
  if (events.length === 0) return new Map();
  const actor = {
    partnerId,
    siteCodes: new Set(scope.siteCodes),
    eventTypes: new Set(scope.eventTypes),
  };
  const results = events.map((event) => parseEvent(event, { now: options.now }));
  const answers = await recordEvents(db, actor, results, {
    source: options.source,
    documentId: options.documentId,
    ...(options.requestId ? { requestId: options.requestId } : {}),
  });

  return new Map(answers.map((a) => [events[a.index]!.eventId, a]));
}

type HeldRow = Awaited<ReturnType<Db['heldDocumentEvent']['findMany']>>[number];

const NOT_PRODUCED = 'the document, read again, no longer yields this event';

function outcomeOf(answer: ItemAnswer | undefined): Prisma.InputJsonValue {
  if (!answer) return { status: 'not produced', reason: NOT_PRODUCED };
  if (answer.status === 'rejected') {
    return { status: 'rejected', issues: answer.issues } as unknown as Prisma.InputJsonValue;
  }

  return { status: answer.status, id: answer.id };
}

/** Why a released event did not go in, or null when it did. */
function refusal(answer: ItemAnswer | undefined): string | null {
  if (!answer) return NOT_PRODUCED;
  if (answer.status !== 'rejected') return null;

  return `the intake rejected it: ${answer.issues.map((i) => `${i.path} ${i.reason}`).join('; ')}`;
}

/**
 * Released rows record the intake's answer and their orphans resolve; one the intake rejected
 * keeps its orphan, now naming the rejection, for a person to settle. Rows still missing a
 * reference get their misses and orphan title refreshed.
 */
async function settle(
  db: Db,
  document: { partner: Partner; documentId: string; siteId: string | null },
  held: HeldRow[],
  read: Reread,
  answers: Map<string, ItemAnswer>,
): Promise<void> {
  const byId = new Map(read.events.map((e) => [e.eventId, e]));
  await db.$transaction(
    async (tx) => {
      const resolved: string[] = [];
      for (const row of held) {
        const misses = missesOf(read.unresolved, row.eventId);
        if (misses.length > 0) {
          await tx.heldDocumentEvent.update({
            where: { id: row.id },
            data: { unmatched: misses as unknown as Prisma.InputJsonValue },
          });
          await openOrphan(tx, document, {
            eventId: row.eventId,
            event: byId.get(row.eventId),
            misses,
          });
          continue;
        }
        const answer = answers.get(row.eventId);
        await tx.heldDocumentEvent.update({
          where: { id: row.id },
          data: { releasedAt: new Date(), outcome: outcomeOf(answer) },
        });
        const refused = refusal(answer);
        if (refused) {
          const event = byId.get(row.eventId);
          const what = [event?.type ?? row.eventId, event?.orderRef ?? event?.shipmentRef]
            .filter(Boolean)
            .join(' ');
          const title = `${what}: its references now match, but ${refused}`.slice(0, 400);
          await openOrphan(tx, document, { eventId: row.eventId, event, misses: [], title });
          continue;
        }
        resolved.push(orphanKey(document.partner.id, row.eventId));
      }
      await resolveByFacts(tx, resolved, 'its references were mapped; the held event was recorded');
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}
