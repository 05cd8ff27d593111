import type { Tx } from '../../db/client';
import type { HoldReason, Readiness } from '../../db/generated/enums';
import { sql } from '../../db/generated/internal/prismaNamespace';
import type { ReplayLine } from '../events/replay';
import { ACTIVE_STATUSES } from '../exceptions/status-machine';
import type { GateState } from '../readiness/load-gate-input';
import type { ReferenceVersions } from '../readiness/reference-cache';
import type { EventRow } from './load-events';
import { rawQuery } from '../../db/transaction-sql';
import type { StoredApprovals } from '../approvals/load-rules';
import { SHIPMENT_KINDS } from '../approvals/rules';
import type { AuditHead } from '../audit/chained-audit';

// What an apply reads, in two statements: the shipment found and row-locked, then everything
// the replay and the gate take from the database in one round trip (events, lines with their
// SKUs, documents, open gate holds and exceptions, the last decision's fingerprint, the
// fingerprints of the gate's reference data), by a function of the migrations
// (shipment_apply_facts). Numbers come back as text, so that no decimal passes through a float.
// Both read several shipments at once as readily as one, for the applies of a batch made together.

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

/**
 * The reference's apply lock, then the shipment it names (its own ref first, else its order's),
 * locked FOR UPDATE, in one round trip (apply_lock_shipments, in the migrations): events naming
 * the order and events naming the shipment run under different job keys. The lock serialises
 * the applies of one reference, also while its shipment does not exist yet. Asynchronous commit
 * for the transaction loses nothing here: the job is done only once graphile-worker commits its
 * completion, after this commit. WAL is written in order, so a completion that survives a crash
 * implies that this transaction does; a crash that loses this transaction loses the completion
 * too, and the job (idempotent: a replay of every event) runs again.
 */
export async function lockShipment(tx: Tx, ref: string): Promise<LockedShipment | null> {
  return (await lockShipments(tx, [ref], { wait: true })).get(ref) ?? null;
}

/**
 * lockShipment for several references in one round trip (apply_lock_shipments, in the
 * migrations): every reference's apply lock first, in one order, then the shipments they name,
 * in the order of their ids, so that two transactions never take them in opposite orders.
 * Without `wait`, a reference whose apply lock another transaction holds is skipped. The answer
 * maps each reference locked that names a shipment to it.
 */
export async function lockShipments(
  tx: Tx,
  refs: readonly string[],
  { wait }: { wait: boolean },
): Promise<Map<string, LockedShipment>> {
  const rows = await rawQuery<LockedShipment & { named: string }>(
    tx,
    sql`SELECT named, id, ref, "orderRef", "siteId", "customerId", country, "standingOverrides"
    FROM apply_lock_shipments(${[...refs]}::text[], ${wait})`,
  );

  return new Map(rows.map(({ named, ...shipment }) => [named, shipment]));
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

export async function loadApplyState(
  tx: Tx,
  request: StateRequest,
  gateHolds: readonly HoldReason[],
): Promise<ApplyState> {
  return (await loadApplyStates(tx, [request], gateHolds))[0]!;
}

/** The states of several locked shipments in one round trip, in the order asked. */
export async function loadApplyStates(
  tx: Tx,
  requests: readonly StateRequest[],
  gateHolds: readonly HoldReason[],
): Promise<ApplyState[]> {
  const asked = requests.map((r, n) => ({
    n,
    id: r.shipment.id,
    refs: r.refs,
    keys: r.exceptionKeys,
    site: r.shipment.siteId,
    customer: r.shipment.customerId,
    country: r.shipment.country,
  }));
  // Function calls (shipment_apply_facts, gate_reference_versions, gate_approval_state, in the
  // migrations), whose plans are made once per connection, where planning this read as a
  // statement cost more than running it; the reference fingerprints once per site, customer
  // and country. Each shipment's audit chain is locked here too, for the decision's audit row:
  // nothing else in the apply writes to the shipment's chain (chained-audit.ts).
  const rows = await rawQuery<{
    state: Raw;
    versions: ReferenceVersions;
    approvals: StoredApprovals;
    chain: AuditHead;
  }>(
    tx,
    sql`WITH a AS (
      SELECT * FROM json_to_recordset(${JSON.stringify(asked)}::json)
        AS a(n int, id uuid, refs text[], keys text[], site uuid, customer uuid, country text)),
    v AS MATERIALIZED (
      SELECT t.site, t.customer, t.country,
        gate_reference_versions(t.site, t.customer, t.country) AS versions
      FROM (SELECT DISTINCT site, customer, country FROM a) AS t)
    SELECT shipment_apply_facts(a.id, a.refs, a.keys, 'anomaly:' || a.id || ':%',
      ${[...gateHolds]}::text[], ${[...ACTIVE_STATUSES]}::text[]) AS state, v.versions,
      gate_approval_state(a.id, ${[...SHIPMENT_KINDS]}::text[]) AS approvals,
      coalesce((SELECT json_build_object('seq', h.head_seq, 'hash', h.head_hash)
                FROM audit_chain_head('Shipment', a.id::text) AS h),
               json_build_object('seq', 0, 'hash', NULL)) AS chain
    FROM a JOIN v ON v.site = a.site AND v.customer = a.customer AND v.country = a.country
    ORDER BY a.n`,
  );

  return rows.map((row) => stateOf(row.state, row.versions, row.approvals, row.chain));
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
