import type { Db, Tx } from '../../db/client';
import type { Prisma } from '../../db/generated/client';
import { join, sql } from '../../db/generated/internal/prismaNamespace';
import { logger } from '../../lib/logger';
import type { EventOf } from '../events/schema';
import { replay } from '../events/replay';
import { openException, resolveByFacts } from '../exceptions/open-exception';
import { decimal } from '../../lib/money';
import type { ReplayResult } from '../events/replay';
import {
  decideReadiness,
  prepareReadiness,
  type DecidingTogether,
  type PreparedReadiness,
  type ReadinessWrite,
} from '../readiness/evaluate-readiness';
import type { GateState } from '../readiness/load-gate-input';
import { bookDecision, bookOf } from '../readiness/credit-book';
import type { GateLine } from '../readiness/types';
import {
  readApplies,
  replayLinesOf,
  type ApplyState,
  type ReadApply,
  type LockedShipment,
  type StateRequest,
  type StoredLine,
  type StoredShipment,
} from './apply-state';
import { canonicalOf, loadEventRows, toRecorded, type EventRow } from './load-events';
import { asStored, persistReplay, type DocumentRow } from './persist-replay';
import { releaseOrder } from './release-order';
import { deriveStatus } from './shipment-status';
import { asCtes, inTransaction, rawExecute, rawQuery } from '../../db/transaction-sql';
import { addWrites, noWrites, writesSql, type ApplyWrites, type ShipmentRow } from './apply-writes';
import { jobSpecsJson, type JobSpec } from '../../jobs/enqueue';

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
  const outcome = await inTransaction(db, (tx) => applyInTransaction(tx, ref), {
    timeout: 60_000,
    maxWait: 30_000,
  });
  log.debug({ ref, outcome: outcome.status }, 'applied events');

  return outcome;
}

async function applyInTransaction(tx: Tx, ref: string): Promise<ApplyOutcome> {
  let read = await readApplies(tx, [ref], { wait: true, books: false });
  if (read.locked.size === 0) {
    const rows = await loadEventRows(tx, [ref], null);
    if (rows.length === 0) return { status: 'empty' };
    const created = await createFromRelease(tx, rows);
    if (!created.ok) return parkOrphans(tx, ref, rows, created.unmatched);
    read = await readApplies(tx, [ref], { wait: true, books: false });
  }
  const [{ request, state }] = [...read.states.values()] as [ReadApply];

  return (await prepareApply(tx, request, state)).finish();
}

export interface PreparedApply {
  shipment: LockedShipment;
  /** The gate's run, prepared: the shipment is staged and not cancelled. */
  readiness: PreparedReadiness | null;
  /** The decision and the apply's last writes; with `together`, left to it to make. */
  finish: (together?: DecidingTogether) => Promise<ApplyOutcome>;
}

/**
 * The replay and the gate over a locked shipment's state, and their writes, in two steps: what
 * needs no credit lock (replay, its writes, the gate's input and route), then the decision from
 * the customer's credit lock on. Applies made together prepare all of their shipments before
 * they decide any, so that a customer's lock is held over decisions only.
 */
export async function prepareApply(
  tx: Tx,
  { shipment, refs }: StateRequest,
  state: ApplyState,
): Promise<PreparedApply> {
  const rows = state.events;
  const result = replay({ lines: replayLinesOf(state.lines), events: rows.map(toRecorded) });
  const { documents, dispositions } = await persistReplay(tx, shipment.id, result, rows, state);
  const orphanKeys = refs.map((r) => `orphan:${r}`).filter((k) => state.openKeys.has(k));
  await resolveByFacts(tx, orphanKeys, 'its order arrived; the parked events were applied');
  await reportAnomalies(tx, state, result.anomalies);
  // The apply's last writes: made in the decision's statement when the gate records one.
  const lastWrites = (w: ReadinessWrite | null): ApplyWrites => {
    const { row } = shipmentRow(state.shipment, result, w);

    return { ...noWrites(), shipments: row ? [row] : [], dispositions };
  };
  const gated = result.stagedAt && !result.cancelled;
  const prepared = gated
    ? await prepareReadiness(tx, gateStateOf(state, shipment, result, documents))
    : null;

  return {
    shipment,
    readiness: prepared,
    finish: async (together) => {
      let write: ReadinessWrite | null = null;
      let written = false;
      if (prepared) {
        const trigger = `events:${rows.length}`;
        ({ write, writesMade: written } = await decideReadiness(tx, prepared, {
          trigger,
          writes: lastWrites,
          together,
        }));
      }
      const row = shipmentRow(state.shipment, result, write);
      if (together) {
        if (!written) addWrites(together.writes, lastWrites(write));
        bookDecision(bookOf(together.books, shipment.customerId), shipment.id, row.countsForCredit);
      } else if (!written) await writeTogether(tx, lastWrites(write));

      return row.outcome;
    },
  };
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
  state: ApplyState,
  anomalies: ReturnType<typeof replay>['anomalies'],
) {
  const { id, siteId } = state.shipment;
  const keyOf = (a: (typeof anomalies)[number]) => `anomaly:${id}:${a.eventId}:${a.code}`;
  const current = new Set(anomalies.map(keyOf));
  const cleared = [...state.openKeys].filter(
    (key) => key.startsWith(`anomaly:${id}:`) && !current.has(key),
  );
  await resolveByFacts(tx, cleared, 'a later event made it applicable');
  for (const anomaly of anomalies) {
    await openException(tx, {
      type: 'ORPHAN_EVENT',
      ownerTeam: 'ADMIN',
      siteId,
      shipmentId: id,
      dedupeKey: keyOf(anomaly),
      title: `Event ${anomaly.eventId} could not be applied: ${anomaly.detail}`,
      detail: { ...anomaly } as Prisma.InputJsonValue,
    });
  }
}

/** The shipment as the replay leaves it, for the gate. */
function gateStateOf(
  state: ApplyState,
  locked: LockedShipment,
  result: ReplayResult,
  documents: readonly DocumentRow[],
): GateState {
  const s = state.shipment;
  const packing = result.facts.packing;
  const facts = new Map(result.facts.lines.map((l) => [l.orderLineId, l]));
  const picked = new Set(result.facts.lines.filter((l) => l.pickEventId).map((l) => l.orderLineId));

  return {
    shipment: {
      id: s.id,
      siteId: s.siteId,
      customerId: s.customerId,
      readiness: s.readiness,
      readyAt: s.readyAt,
      plannedTripId: s.plannedTripId,
      stagedAt: result.milestones.packedStagedAt,
      dangerousGoods: s.dangerousGoods,
      weightKg: packing ? asStored(packing.weightKg, 3) : null,
      volumeM3: packing ? asStored(packing.volumeM3, 4) : null,
      handlingUnits: packing?.handlingUnits ?? null,
      goodsValue: s.goodsValue,
      currency: s.currency,
    },
    customer: state.customer,
    shipTo: state.shipTo,
    site: state.site,
    lines: state.lines.map((l) => gateLine(l, facts.get(l.orderLineId), picked)),
    documents: [
      ...state.documents.filter((d) => d.eventId === null && d.voidedAt === null),
      ...documents,
    ].map((d) => ({ kind: d.kind, orderLineId: d.orderLineId, voidedAt: null })),
    openHolds: state.openHolds,
    standingOverrides: locked.standingOverrides,
    openKeys: state.openKeys,
    lastFingerprint: state.lastFingerprint,
    tolerance: state.tolerance,
    scope: locked,
    versions: state.versions,
    approvals: state.approvals,
    auditHead: state.auditHead,
  };
}

function gateLine(
  l: StoredLine,
  fact: ReplayResult['facts']['lines'][number] | undefined,
  picked: ReadonlySet<string>,
): GateLine {
  const sku = l.sku;

  return {
    orderLineId: l.orderLineId,
    sku: {
      code: sku.code,
      baseUom: sku.baseUom,
      unNumber: sku.unNumber,
      hazardClass: sku.hazardClass,
      units: sku.units,
      weightKg: decimal(sku.weightKg),
      volumeM3: decimal(sku.volumeM3),
    },
    orderedQty: decimal(l.quantity),
    orderedUom: l.uomCode,
    pickedQty: decimal(fact ? asStored(fact.pickedQty, 4) : l.pickedQty),
    lot: fact ? fact.lot : l.lot,
    location: fact ? fact.location : l.location,
    confirmed: picked.has(l.orderLineId),
    qcFailed: fact ? fact.qcFailed : l.qcFailed,
  };
}

/**
 * The applies' last writes, and jobs to enqueue, in one statement; with `confirm`
 * (creditConfirmation), the credit confirmation of their decisions made in it too, whose
 * customers past their bounds are answered.
 */
export async function writeTogether(
  tx: Tx,
  writes: ApplyWrites,
  jobs: readonly JobSpec[] = [],
  confirm: string | null = null,
): Promise<string[]> {
  const items = writesSql(writes);
  const answers = [
    ...(jobs.length > 0 ? [sql`enqueue_jobs(${jobSpecsJson(jobs)}::json) AS jobs`] : []),
    ...(confirm ? [sql`credit_confirm(${confirm}::json) AS moved`] : []),
  ];
  if (answers.length > 0) {
    const select = sql`SELECT ${join(answers, ', ')}`;
    const [row] = await rawQuery<{ moved?: string[] }>(
      tx,
      items.length > 0 ? sql`WITH ${asCtes(items)} ${select}` : select,
    );

    return row?.moved ?? [];
  }
  if (items.length === 0) return [];
  await rawExecute(tx, items.length === 1 ? items[0]! : sql`WITH ${asCtes(items)} SELECT 1`);

  return [];
}

/**
 * The shipment's one write of the apply (milestones, packing, readiness and derived status), as
 * a row, or null when the row already holds it.
 */
function shipmentRow(
  s: StoredShipment,
  result: ReplayResult,
  gate: ReadinessWrite | null,
): { row: ShipmentRow | null; outcome: ApplyOutcome; countsForCredit: boolean } {
  const m = result.milestones;
  const packing = result.facts.packing;
  const next = {
    pickedAt: m.pickedAt,
    qcAt: m.qcAt,
    packedStagedAt: m.packedStagedAt,
    loadedAt: m.loadedAt,
    departedAt: m.departedAt,
    arrivedAt: m.arrivedAt,
    deliveredAt: m.deliveredAt,
    podReceivedAt: m.podReceivedAt,
    cancelledAt: m.cancelledAt,
    readyAt: gate ? gate.readyAt : s.readyAt,
    heldAt: gate ? gate.heldAt : s.heldAt,
    slottedAt: gate?.clearSlot ? null : s.slottedAt,
  };
  const readiness = gate?.readiness ?? s.readiness;
  const plannedTripId = gate ? gate.plannedTripId : s.plannedTripId;
  const handlingUnits = packing?.handlingUnits ?? null;
  const weightKg = packing ? asStored(packing.weightKg, 3) : null;
  const volumeM3 = packing ? asStored(packing.volumeM3, 4) : null;
  const stagedDock = packing?.dock ?? null;
  const status = deriveStatus({ ...next, readiness, invoicedAt: s.invoicedAt });
  const time = (d: Date | null) => d?.getTime() ?? null;
  const unchanged =
    Object.entries(next).every(([k, v]) => time(v) === time(s[k as keyof typeof next])) &&
    readiness === s.readiness &&
    plannedTripId === s.plannedTripId &&
    handlingUnits === s.handlingUnits &&
    sameNumber(weightKg, s.weightKg) &&
    sameNumber(volumeM3, s.volumeM3) &&
    stagedDock === s.stagedDock &&
    status === s.status;
  const outcome: ApplyOutcome = {
    status: 'applied',
    shipmentId: s.id,
    readiness,
    statusName: status,
  };
  // The rule of credit_shipment_part (in the migrations), for the row as written.
  const countsForCredit =
    s.invoicedAt === null &&
    next.cancelledAt === null &&
    (readiness === 'READY' || next.departedAt !== null);
  if (unchanged) return { row: null, outcome, countsForCredit };

  const row: ShipmentRow = {
    id: s.id,
    picked_at: next.pickedAt,
    qc_at: next.qcAt,
    packed_staged_at: next.packedStagedAt,
    loaded_at: next.loadedAt,
    departed_at: next.departedAt,
    arrived_at: next.arrivedAt,
    delivered_at: next.deliveredAt,
    pod_received_at: next.podReceivedAt,
    cancelled_at: next.cancelledAt,
    ready_at: next.readyAt,
    held_at: next.heldAt,
    slotted_at: next.slottedAt,
    handling_units: handlingUnits,
    weight_kg: weightKg,
    volume_m3: volumeM3,
    staged_dock: stagedDock,
    readiness,
    planned_trip_id: plannedTripId,
    status,
  };

  return { row, outcome, countsForCredit };
}

const sameNumber = (a: string | null, b: string | null) =>
  a === null || b === null ? a === b : decimal(a).eq(decimal(b));
