import type { Tx } from '../../db/client';
import type { HoldReason, Readiness } from '../../db/generated/enums';
import { sql } from '../../db/generated/internal/prismaNamespace';
import type { ReplayLine } from '../events/replay';
import { ACTIVE_STATUSES } from '../exceptions/status-machine';
import type { GateState } from '../readiness/load-gate-input';
import { booksOf, type BookJson, type CreditBook } from '../readiness/credit-book';
import { knowTrips } from '../dispatch/candidate-trips';
import { GATE_EXCEPTION_TYPES, GATE_HOLDS } from '../readiness/evaluate-readiness';
import type { ReferenceVersions } from '../readiness/reference-cache';
import type { EventRow } from './load-events';
import { rawQuery } from '../../db/transaction-sql';
import type { StoredApprovals } from '../approvals/load-rules';
import { SHIPMENT_KINDS } from '../approvals/rules';
import type { AuditHead } from '../audit/chained-audit';

// What an apply reads, in one round trip (apply_read, in the migrations): the references'
// apply locks and the shipments they name, row-locked, then everything the replay and the gate
// take from the database (events, lines with their SKUs, documents, open gate holds and
// exceptions, the last decision's fingerprint, the fingerprints of the gate's reference data,
// the approval state, the audit chain's head) and, for decisions confirmed under the credit
// lock, the customers' credit books. Numbers come back as text, so that no decimal passes
// through a float. It reads several shipments at once as readily as one, for the applies of a
// batch made together.

export interface LockedShipment {
  id: string;
  ref: string;
  orderRef: string;
  siteId: string;
  customerId: string;
  country: string;
  /** Whether an approved hold override stands on the shipment. */
  standingOverrides: boolean;
}

/** A locked shipment as its apply reads it, under every reference it goes by. */
export interface ReadApply {
  request: StateRequest;
  state: ApplyState;
}

export interface AppliesRead {
  /** The shipment each reference locked names, for those that name one. */
  locked: Map<string, LockedShipment>;
  /** Each locked shipment's request and state, by shipment id. */
  states: Map<string, ReadApply>;
  /** The customers' credit books, without their locks, when asked for. */
  books: Map<string, CreditBook> | null;
}

/**
 * The apply locks of `refs` (in one order; without `wait`, a reference whose lock another
 * transaction holds is skipped, not waited for), the shipments they name locked FOR UPDATE in
 * the order of their ids, then, on a snapshot taken after the locks, each shipment's state, and
 * its customer's book when `books` (apply_read); the trips of its site's routes it read are
 * made known to planTrips. An asynchronous commit for the transaction
 * loses nothing: the job is done only once graphile-worker commits its completion, after this
 * commit, and WAL is written in order; a crash that loses this transaction loses the completion
 * too, and the job (idempotent: a replay of every event) runs again.
 */
export async function readApplies(
  tx: Tx,
  refs: readonly string[],
  { wait, books }: { wait: boolean; books: boolean },
): Promise<AppliesRead> {
  const [row] = await rawQuery<{
    read: {
      locked: (LockedShipment & { named: string })[];
      states: {
        id: string;
        refs: string[];
        state: Raw;
        versions: ReferenceVersions;
        approvals: StoredApprovals;
        chain: AuditHead;
      }[];
      books: { customer: string; book: BookJson }[] | null;
      trips: { id: string; key: string }[];
    };
  }>(
    tx,
    sql`SELECT apply_read(${[...refs]}::text[], ${wait}, ${[...GATE_HOLDS]}::text[],
      ${[...ACTIVE_STATUSES]}::text[], ${[...SHIPMENT_KINDS]}::text[],
      ${[...GATE_EXCEPTION_TYPES]}::text[], ${books}) AS read`,
  );
  const read = row!.read;
  knowTrips(tx, read.trips);
  const locked = new Map(read.locked.map(({ named, ...shipment }) => [named, shipment]));
  const byId = new Map(read.locked.map((l) => [l.id, l]));
  const states = new Map(
    read.states.map((s) => {
      const { named: _named, ...shipment } = byId.get(s.id)!;
      const request = {
        shipment,
        refs: s.refs,
        exceptionKeys: candidateKeys(s.id, s.refs, GATE_EXCEPTION_TYPES),
      };

      return [s.id, { request, state: stateOf(s.state, s.versions, s.approvals, s.chain) }];
    }),
  );

  return { locked, states, books: read.books ? booksOf(read.books) : null };
}

export interface StoredLine {
  orderLineId: string;
  lineNo: number;
  orderedQty: string;
  pickedQty: string;
  deliveredQty: string | null;
  lot: string | null;
  location: string | null;
  qcFailed: boolean;
  /** The order line as ordered, in its own unit. */
  quantity: string;
  uomCode: string;
  sku: {
    code: string;
    baseUom: string;
    unNumber: string | null;
    hazardClass: string | null;
    weightKg: string;
    volumeM3: string;
    units: { uomCode: string; factor: string }[];
  };
}

export interface StoredDocument {
  kind: 'DANGEROUS_GOODS_DECLARATION' | 'PROOF_OF_DELIVERY' | 'COMMERCIAL_INVOICE' | 'OTHER';
  reference: string | null;
  uri: string | null;
  orderLineId: string | null;
  eventId: string | null;
  receivedAt: Date;
  voidedAt: Date | null;
}

export interface StoredShipment {
  id: string;
  siteId: string;
  customerId: string;
  status: string;
  readiness: Readiness;
  dangerousGoods: boolean;
  goodsValue: string | null;
  currency: string;
  plannedTripId: string | null;
  handlingUnits: number | null;
  weightKg: string | null;
  volumeM3: string | null;
  stagedDock: string | null;
  pickedAt: Date | null;
  qcAt: Date | null;
  packedStagedAt: Date | null;
  readyAt: Date | null;
  heldAt: Date | null;
  slottedAt: Date | null;
  loadedAt: Date | null;
  departedAt: Date | null;
  arrivedAt: Date | null;
  deliveredAt: Date | null;
  podReceivedAt: Date | null;
  invoicedAt: Date | null;
  cancelledAt: Date | null;
}

export interface ApplyState {
  shipment: StoredShipment;
  customer: GateState['customer'];
  shipTo: GateState['shipTo'];
  site: GateState['site'];
  events: EventRow[];
  lines: StoredLine[];
  documents: StoredDocument[];
  openHolds: { id: string; reason: HoldReason }[];
  /** Dedupe keys of the active exceptions this apply may resolve. */
  openKeys: Set<string>;
  lastFingerprint: string | null;
  /** settings.gate.quantityTolerance, when set. */
  tolerance: unknown;
  versions: ReferenceVersions;
  approvals: StoredApprovals;
  /** The shipment's audit chain, locked until commit, at its last row. */
  auditHead: AuditHead;
}

const DATE_FIELDS = [
  'pickedAt',
  'qcAt',
  'packedStagedAt',
  'readyAt',
  'heldAt',
  'slottedAt',
  'loadedAt',
  'departedAt',
  'arrivedAt',
  'deliveredAt',
  'podReceivedAt',
  'invoicedAt',
  'cancelledAt',
] as const;

const toDate = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

/** The exception keys an apply resolves by fact, besides the shipment's anomalies. */
export function candidateKeys(shipmentId: string, refs: string[], types: readonly string[]) {
  return [...refs.map((r) => `orphan:${r}`), ...types.map((t) => `shipment:${shipmentId}:${t}`)];
}

interface Raw {
  shipment: Record<string, unknown>;
  events: (Omit<EventRow, 'occurredAt' | 'receivedAt'> & {
    occurredAt: string;
    receivedAt: string;
  })[];
  lines: StoredLine[];
  documents: (Omit<StoredDocument, 'receivedAt' | 'voidedAt'> & {
    receivedAt: string;
    voidedAt: string | null;
  })[];
  holds: { id: string; reason: HoldReason }[];
  keys: string[];
  fingerprint: string | null;
  tolerance: unknown;
}

/** What one apply reads of a locked shipment: its references and the exception keys it may resolve. */
export interface StateRequest {
  shipment: LockedShipment;
  refs: string[];
  exceptionKeys: string[];
}

function stateOf(
  raw: Raw,
  versions: ReferenceVersions,
  approvals: StoredApprovals,
  auditHead: AuditHead,
): ApplyState {
  const s = raw.shipment;
  const shipment = { ...s } as unknown as StoredShipment;
  for (const f of DATE_FIELDS) (shipment as unknown as Record<string, unknown>)[f] = toDate(s[f]);

  return {
    shipment,
    customer: {
      allowsPartial: s.allowsPartial as boolean,
      creditLimit: s.creditLimit as string,
      creditBlocked: s.creditBlocked as boolean,
      currency: s.customerCurrency as string,
    },
    shipTo: { postalCode: s.postalCode as string, country: s.country as string },
    site: { id: s.siteId as string, timeZone: s.timeZone as string },
    events: raw.events.map((e) => ({
      ...e,
      occurredAt: new Date(e.occurredAt),
      receivedAt: new Date(e.receivedAt),
    })),
    lines: raw.lines,
    documents: raw.documents.map((d) => ({
      ...d,
      receivedAt: new Date(d.receivedAt),
      voidedAt: toDate(d.voidedAt),
    })),
    openHolds: raw.holds,
    openKeys: new Set(raw.keys),
    lastFingerprint: raw.fingerprint,
    tolerance: raw.tolerance,
    versions,
    approvals,
    auditHead,
  };
}

/** The replay's view of the stored lines. */
export function replayLinesOf(lines: readonly StoredLine[]): ReplayLine[] {
  return lines.map((l) => ({
    lineNo: l.lineNo,
    orderLineId: l.orderLineId,
    orderedQty: l.orderedQty,
    baseUom: l.sku.baseUom,
    skuUnits: l.sku.units,
  }));
}
