import type pg from 'pg';

// Latencies read back from the database once the run is over, every end on the database clock:
// a PACKED_STAGED event's received_at (set at insert, the start of the intake transaction) and
// the database clock read right after recordEvents returned, against the first readiness
// decision of its shipment: decided_at, and the commit time of the row's transaction (when the
// server tracks commit timestamps), the moment the decision record exists for anyone to read.

export interface Distribution {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Percentiles over every item; one never done counts as Infinity (it is slower than any). */
export function distribution(values: number[]): Distribution {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const n = sorted.length;
  // Nearest rank: the smallest value with at least q of the sample at or below it.
  const q = (p: number) => (n === 0 ? NaN : sorted[Math.min(n - 1, Math.ceil(p * n) - 1)]!);
  const finite = sorted.filter(Number.isFinite);
  const mean = finite.length === 0 ? NaN : finite.reduce((sum, v) => sum + v, 0) / finite.length;

  return { n, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: sorted[n - 1] ?? NaN, mean };
}

export interface DecisionRow {
  eventId: string;
  received: number;
  decided: number | null;
  committed: number | null;
  outcome: string | null;
}

export async function countDecided(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    'SELECT count(DISTINCT shipment_id)::int AS n FROM readiness_decisions',
  );

  return rows[0]?.n ?? 0;
}

/** Until `expected` shipments have a decision, or the time is up; the count reached. */
export async function waitForDecisions(
  pool: pg.Pool,
  expected: number,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let decided = await countDecided(pool);
  while (decided < expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    decided = await countDecided(pool);
  }

  return decided;
}

export async function readDecisions(
  pool: pg.Pool,
  eventIds: string[],
  commitTimestamps: boolean,
): Promise<DecisionRow[]> {
  const committed = commitTimestamps
    ? 'extract(epoch FROM pg_xact_commit_timestamp(d.xmin))::float8 * 1000'
    : 'NULL::float8';
  const { rows } = await pool.query<DecisionRow>(
    `SELECT e.event_id AS "eventId",
       extract(epoch FROM e.received_at)::float8 * 1000 AS received,
       extract(epoch FROM d.decided_at)::float8 * 1000 AS decided,
       ${committed} AS committed,
       d.outcome::text AS outcome
     FROM shipment_events e
     LEFT JOIN LATERAL (
       SELECT rd.decided_at, rd.xmin, rd.outcome FROM readiness_decisions rd
       WHERE rd.shipment_id = e.shipment_id ORDER BY rd.decided_at, rd.id LIMIT 1) d ON true
     WHERE e.type = 'PACKED_STAGED' AND e.event_id = ANY($1::text[])`,
    [eventIds],
  );

  return rows;
}

export interface Pair {
  from: number;
  to: number | null;
}

export function latencies(pairs: Pair[]): Distribution {
  return distribution(pairs.map((p) => (p.to === null ? Infinity : p.to - p.from)));
}

export const undone = (pairs: Pair[]) => pairs.filter((p) => p.to === null).length;

/** p95 of each consecutive second of the run (by the start of each item), to show a drift. */
export function p95BySecond(pairs: Pair[]): number[] {
  const done = pairs.filter((p) => p.to !== null);
  if (done.length === 0) return [];
  const start = Math.min(...done.map((p) => p.from));
  const buckets: number[][] = [];
  for (const p of done) (buckets[Math.floor((p.from - start) / 1000)] ??= []).push(p.to! - p.from);

  return [...buckets].map((b) => (b ? distribution(b).p95 : NaN));
}

/** Items per second over the span from the first start to the last end. */
export function throughput(pairs: Pair[]): number {
  const done = pairs.filter((p) => p.to !== null);
  if (done.length < 2) return NaN;
  const first = Math.min(...done.map((p) => p.from));
  const last = Math.max(...done.map((p) => p.to!));

  return (done.length * 1000) / (last - first);
}
