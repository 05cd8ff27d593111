import { sql, type Sql } from '../../db/generated/internal/prismaNamespace';
import { insertAuditRowsSql } from '../audit/write-audit';

// The last writes of applies, as rows: decision records, their audit rows, the shipments' rows
// and their events' dispositions. One apply or many (applies made together) write them in the
// same four set-based statements, as WITH items of one statement: a fixed text whatever the
// number of applies, which PostgreSQL plans once per connection. An update names its rows'
// keys as an array beside the JSON rows too: the planner takes a JSON row set for a hundred
// rows, where a table of some thousands is cheaper to scan whole than to probe a hundred times,
// but an array it takes for ten, and looks those up by key at any size.

export interface DecisionRow {
  id: string;
  shipment_id: string;
  outcome: 'PASS' | 'HOLD';
  checks: unknown;
  rule_version: string;
  trigger: string;
}

/** A shipment's row as its apply leaves it (shipmentRow in apply-events.ts). */
export interface ShipmentRow {
  id: string;
  picked_at: Date | null;
  qc_at: Date | null;
  packed_staged_at: Date | null;
  loaded_at: Date | null;
  departed_at: Date | null;
  arrived_at: Date | null;
  delivered_at: Date | null;
  pod_received_at: Date | null;
  cancelled_at: Date | null;
  ready_at: Date | null;
  held_at: Date | null;
  slotted_at: Date | null;
  handling_units: number | null;
  weight_kg: string | null;
  volume_m3: string | null;
  staged_dock: string | null;
  readiness: string;
  planned_trip_id: string | null;
  status: string;
}

export interface DispositionRow {
  id: string;
  shipment_id: string;
  disposition: string;
}

export interface ApplyWrites {
  decisions: DecisionRow[];
  /** Audit rows as auditRecord makes them, hashed into their chains, as JSON. */
  audits: string[];
  shipments: ShipmentRow[];
  dispositions: DispositionRow[];
}

export const noWrites = (): ApplyWrites => ({
  decisions: [],
  audits: [],
  shipments: [],
  dispositions: [],
});

/** `more` added to `into`. */
export function addWrites(into: ApplyWrites, more: ApplyWrites): ApplyWrites {
  into.decisions.push(...more.decisions);
  into.audits.push(...more.audits);
  into.shipments.push(...more.shipments);
  into.dispositions.push(...more.dispositions);

  return into;
}

/** The statements that make `writes`, for WITH items (each only where it has rows). */
export function writesSql(writes: ApplyWrites): Sql[] {
  const { decisions, audits, shipments, dispositions } = writes;

  return [
    decisions.length > 0 ? decisionsSql(decisions) : null,
    audits.length > 0 ? insertAuditRowsSql(`[${audits.join(',')}]`) : null,
    shipments.length > 0 ? shipmentsSql(shipments) : null,
    dispositions.length > 0 ? dispositionsSql(dispositions) : null,
  ].filter((q) => q !== null);
}

/**
 * Decided when written, not when the transaction began (now()): the shipment's last decision is
 * its latest decided_at, and a batch that waited for other references' locks after it began
 * would date its decision before one another transaction made meanwhile. Written under the
 * shipment's row lock, so one shipment's decisions are dated in the order they were made.
 */
function decisionsSql(rows: DecisionRow[]): Sql {
  return sql`
    INSERT INTO readiness_decisions (id, shipment_id, outcome, checks, rule_version, trigger,
      decided_at)
    SELECT d.id, d.shipment_id, d.outcome, d.checks, d.rule_version, d.trigger, clock_timestamp()
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS d(id uuid, shipment_id uuid,
      outcome "GateOutcome", checks jsonb, rule_version text, trigger text)`;
}

function shipmentsSql(rows: ShipmentRow[]): Sql {
  return sql`
    UPDATE shipments s SET
      picked_at = r.picked_at, qc_at = r.qc_at, packed_staged_at = r.packed_staged_at,
      loaded_at = r.loaded_at, departed_at = r.departed_at, arrived_at = r.arrived_at,
      delivered_at = r.delivered_at, pod_received_at = r.pod_received_at,
      cancelled_at = r.cancelled_at, ready_at = r.ready_at, held_at = r.held_at,
      slotted_at = r.slotted_at, handling_units = r.handling_units, weight_kg = r.weight_kg,
      volume_m3 = r.volume_m3, staged_dock = r.staged_dock, readiness = r.readiness,
      planned_trip_id = r.planned_trip_id, status = r.status, updated_at = now()
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(id uuid,
      picked_at timestamptz, qc_at timestamptz, packed_staged_at timestamptz,
      loaded_at timestamptz, departed_at timestamptz, arrived_at timestamptz,
      delivered_at timestamptz, pod_received_at timestamptz, cancelled_at timestamptz,
      ready_at timestamptz, held_at timestamptz, slotted_at timestamptz, handling_units int,
      weight_kg numeric, volume_m3 numeric, staged_dock text, readiness "Readiness",
      planned_trip_id uuid, status "ShipmentStatus")
    WHERE s.id = r.id AND s.id = ANY(${rows.map((r) => r.id)}::uuid[])`;
}

function dispositionsSql(rows: DispositionRow[]): Sql {
  return sql`
    UPDATE shipment_events se SET disposition = c.disposition::"EventDisposition",
      shipment_id = c.shipment_id,
      voided_at = CASE WHEN c.disposition = 'VOIDED' THEN coalesce(se.voided_at, now()) ELSE NULL END
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      AS c(id uuid, shipment_id uuid, disposition text)
    WHERE se.id = c.id AND se.id = ANY(${rows.map((r) => r.id)}::uuid[])`;
}
