import type { Db, Tx } from '../../db/client';
import type { Prisma } from '../../db/generated/client';
import { logger } from '../../lib/logger';
import type { EventOf } from '../events/schema';
import { replay } from '../events/replay';
import { openException, resolveByFacts } from '../exceptions/open-exception';
import { evaluateReadiness } from '../readiness/evaluate-readiness';
import {
  canonicalOf,
  loadEventRows,
  loadReplayLines,
  toRecorded,
  type EventRow,
} from './load-events';
import { persistReplay } from './persist-replay';
import { releaseOrder } from './release-order';
import { deriveStatus } from './shipment-status';

// The one place shipment state changes after an event: all of the shipment's recorded events are
// replayed (in event-time order, whatever order they arrived in) into milestones and facts, and
// the readiness gate runs on the result. Replaying the whole set makes the outcome a function of
// the events, not of their arrival order, and makes the job safe to run twice.

const log = logger('apply-events');

export type ApplyOutcome =
  | { status: 'applied'; shipmentId: string; readiness: string; statusName: string }
  | { status: 'orphaned'; unmatched: string[] }
  | { status: 'empty' };

export async function applyShipmentEvents(db: Db, ref: string): Promise<ApplyOutcome> {
  const outcome = await db.$transaction((tx) => applyInTransaction(tx, ref), {
    timeout: 60_000,
    maxWait: 30_000,
  });
  log.debug({ ref, outcome: outcome.status }, 'applied events');

  return outcome;
}

async function applyInTransaction(tx: Tx, ref: string): Promise<ApplyOutcome> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`apply:${ref}`}, 0))`;
  let shipment = await findShipment(tx, ref);
  if (!shipment) {
    const rows = await loadEventRows(tx, [ref], null);
    if (rows.length === 0) return { status: 'empty' };
    const created = await createFromRelease(tx, rows);
    if (!created.ok) return parkOrphans(tx, ref, rows, created.unmatched);
    shipment = (await findShipment(tx, ref))!;
  }
  // Events naming the order and events naming the shipment run under different job keys.
  await tx.$queryRaw`SELECT id FROM shipments WHERE id = ${shipment.id}::uuid FOR UPDATE`;
  const refs = [...new Set([ref, shipment.ref, shipment.order.ref])];
  const rows = await loadEventRows(tx, refs, shipment.id);
  const result = replay({
    lines: await loadReplayLines(tx, shipment.id),
    events: rows.map(toRecorded),
  });
  await persistReplay(tx, shipment.id, result, rows);
  await resolveByFacts(
    tx,
    refs.map((r) => `orphan:${r}`),
    'its order arrived; the parked events were applied',
  );
  await reportAnomalies(tx, shipment, result.anomalies);
  if (result.stagedAt && !result.cancelled) {
    const pickedLineIds = new Set(
      result.facts.lines.filter((l) => l.pickEventId).map((l) => l.orderLineId),
    );
    await evaluateReadiness(tx, shipment.id, { trigger: `events:${rows.length}`, pickedLineIds });
  }

  return refreshStatus(tx, shipment.id);
}

async function findShipment(tx: Tx, ref: string) {
  return tx.shipment.findFirst({
    where: { OR: [{ ref }, { order: { ref } }] },
    select: { id: true, ref: true, siteId: true, order: { select: { ref: true } } },
  });
}

/** The earliest standing ORDER_RELEASED among the events creates the order and its shipment. */
async function createFromRelease(tx: Tx, rows: EventRow[]) {
  const voided = new Set(
    rows
      .filter((r) => r.type === 'EVENT_VOIDED')
      .map((r) => (canonicalOf(r) as EventOf<'EVENT_VOIDED'>).payload.voidedEventId),
  );
  const release = rows.find((r) => r.type === 'ORDER_RELEASED' && !voided.has(r.eventId));
  if (!release) {
    const named = canonicalOf(rows[0]!);

    return { ok: false as const, unmatched: [`order ${named.orderRef ?? named.shipmentRef}`] };
  }

  return releaseOrder(tx, canonicalOf(release) as EventOf<'ORDER_RELEASED'>);
}

/** Never dropped: the events wait, marked orphaned, and apply by themselves once the order exists. */
async function parkOrphans(
  tx: Tx,
  ref: string,
  rows: EventRow[],
  unmatched: string[],
): Promise<ApplyOutcome> {
  await tx.shipmentEvent.updateMany({
    where: { id: { in: rows.map((r) => r.id) } },
    data: { disposition: 'ORPHANED' },
  });
  const siteCode = canonicalOf(rows[0]!).site;
  const site = await tx.site.findUnique({ where: { code: siteCode }, select: { id: true } });
  await openException(tx, {
    type: 'ORPHAN_EVENT',
    severity: 'HIGH',
    ownerTeam: 'ADMIN',
    siteId: site?.id ?? null,
    eventId: rows[0]!.id,
    dedupeKey: `orphan:${ref}`,
    title: `${rows.length} event(s) for ${ref} wait: no match for ${unmatched.join(', ')}`,
    detail: {
      ref,
      unmatched,
      eventIds: rows.map((r) => r.eventId),
      site: siteCode,
    } as Prisma.InputJsonValue,
  });

  return { status: 'orphaned', unmatched };
}

/** Anomalies open exceptions; one a later event cleared (a void whose target came) resolves. */
async function reportAnomalies(
  tx: Tx,
  shipment: { id: string; siteId: string },
  anomalies: ReturnType<typeof replay>['anomalies'],
) {
  const keyOf = (a: (typeof anomalies)[number]) => `anomaly:${shipment.id}:${a.eventId}:${a.code}`;
  const current = new Set(anomalies.map(keyOf));
  const open = await tx.exception.findMany({
    where: {
      shipmentId: shipment.id,
      dedupeKey: { startsWith: `anomaly:${shipment.id}:` },
      status: { in: ['OPEN', 'ACKNOWLEDGED', 'WAITING'] },
    },
    select: { dedupeKey: true },
  });
  const cleared = open.map((e) => e.dedupeKey!).filter((key) => !current.has(key));
  await resolveByFacts(tx, cleared, 'a later event made it applicable');
  for (const anomaly of anomalies) {
    await openException(tx, {
      type: 'ORPHAN_EVENT',
      ownerTeam: 'ADMIN',
      siteId: shipment.siteId,
      shipmentId: shipment.id,
      dedupeKey: keyOf(anomaly),
      title: `Event ${anomaly.eventId} could not be applied: ${anomaly.detail}`,
      detail: { ...anomaly } as Prisma.InputJsonValue,
    });
  }
}

async function refreshStatus(tx: Tx, shipmentId: string): Promise<ApplyOutcome> {
  const s = await tx.shipment.findUniqueOrThrow({ where: { id: shipmentId } });
  const status = deriveStatus(s);
  if (status !== s.status)
    await tx.shipment.update({ where: { id: shipmentId }, data: { status } });

  return { status: 'applied', shipmentId, readiness: s.readiness, statusName: status };
}
