import type { Tx } from '../../db/client';
import { sql } from '../../db/generated/internal/prismaNamespace';
import { rawQuery } from '../../db/transaction-sql';
import type { TripStatus } from '../../db/generated/enums';
import { nextDeparture, type DepartureRule, type PlannedDeparture } from './departures';

// The trips a ready shipment may be booked on: the run of the departure the gate planned it
// for, then the next runs of the same departure, created on first use. Which runs those are is
// plain arithmetic on the departure's rule (`candidateRuns`); load-slotting-input.ts creates
// the missing ones and locks them all in the statement that reads their capacity.

/** A dated run as slotting reads it; the service date as 'YYYY-MM-DD'. */
export interface CandidateTripRow {
  id: string;
  departureId: string;
  serviceDate: string;
  departsAt: Date;
  cutoffAt: Date;
  vehicleId: string | null;
  status: TripStatus;
}

/** The planned trip as slotting reads it, with its departure's rule and route. */
export interface PlannedTrip {
  id: string;
  serviceDate: string;
  departsAt: Date;
  cutoffAt: Date;
  routeId: string;
  routeCode: string;
  rule: DepartureRule;
}

/** A trip that has left or was called off takes no more bookings. */
export const BOOKABLE: readonly TripStatus[] = ['PLANNED', 'LOADING'];

/** The dated run of a departure, created by whichever job needs it first. */
export async function ensureTrip(tx: Tx, planned: PlannedDeparture): Promise<string> {
  // Two jobs may plan the same run at once: the unique (departure, date) key keeps it one row,
  // and the loser's insert waits for the winner's commit and then does nothing.
  await tx.$executeRaw`
    INSERT INTO trips (id, departure_id, service_date, departs_at, cutoff_at)
    VALUES (gen_random_uuid(), ${planned.departureId}::uuid, ${planned.serviceDate}::date,
            ${planned.departsAt}::timestamptz, ${planned.cutoffAt}::timestamptz)
    ON CONFLICT (departure_id, service_date) DO NOTHING`;
  const serviceDate = new Date(`${planned.serviceDate}T00:00:00Z`);
  const trip = await tx.trip.findUniqueOrThrow({
    where: { departureId_serviceDate: { departureId: planned.departureId, serviceDate } },
    select: { id: true },
  });

  return trip.id;
}

/** The planned run and the runs after it, `tripsAhead` in all, in departure order. */
export function candidateRuns(
  planned: PlannedTrip,
  timeZone: string,
  tripsAhead: number,
): PlannedDeparture[] {
  const runs: PlannedDeparture[] = [
    {
      departureId: planned.rule.id,
      serviceDate: planned.serviceDate,
      departsAt: planned.departsAt,
      cutoffAt: planned.cutoffAt,
    },
  ];
  let anchor = planned.cutoffAt;
  for (let i = 1; i < tripsAhead; i += 1) {
    const next = nextDeparture([planned.rule], timeZone, new Date(anchor.getTime() + 1));
    if (!next) break;
    runs.push(next);
    anchor = next.cutoffAt;
  }

  return runs;
}

/** The dated run of a planned departure, as planTrips makes sure of it. */
export async function tripOf(tx: Tx, planned: PlannedDeparture): Promise<string> {
  return (await planTrips(tx, [planned])).get(runKey(planned))!;
}

export const runKey = (p: PlannedDeparture) => `${p.departureId}:${p.serviceDate}`;

/** The trips a transaction has found or made (applies made together share their departures). */
const tripsOf = new WeakMap<Tx, Map<string, string>>();

/** Trips the transaction has read already (`key`: `departureId:serviceDate`): planTrips knows them. */
export function knowTrips(tx: Tx, trips: readonly { id: string; key: string }[]): void {
  const known = tripsOf.get(tx) ?? new Map<string, string>();
  for (const trip of trips) known.set(trip.key, trip.id);
  tripsOf.set(tx, known);
}

/**
 * The dated runs of planned departures, found or made in one statement, inserted in one order
 * (departure, date): two transactions that make the same new runs wait for each other's in that
 * order, never in a cycle. When another transaction is inserting the same run, the insert waits
 * for it and the row is not in this statement's snapshot: ensureTrip then reads it. Answers the
 * trip of each run by `departureId:serviceDate`, remembered for the transaction.
 */
export async function planTrips(
  tx: Tx,
  planned: readonly PlannedDeparture[],
): Promise<Map<string, string>> {
  const known = tripsOf.get(tx) ?? new Map<string, string>();
  tripsOf.set(tx, known);
  const wanted = new Map(planned.filter((p) => !known.has(runKey(p))).map((p) => [runKey(p), p]));
  if (wanted.size === 0) return known;
  const runs = [...wanted.values()].map((p) => ({
    departure_id: p.departureId,
    service_date: p.serviceDate,
    departs_at: p.departsAt,
    cutoff_at: p.cutoffAt,
  }));
  const rows = await rawQuery<{ id: string; key: string }>(
    tx,
    sql`
    WITH wanted AS (
      SELECT * FROM json_to_recordset(${JSON.stringify(runs)}::json)
        AS w(departure_id uuid, service_date date, departs_at timestamptz, cutoff_at timestamptz)),
    made AS (
      INSERT INTO trips (id, departure_id, service_date, departs_at, cutoff_at)
      SELECT gen_random_uuid(), w.departure_id, w.service_date, w.departs_at, w.cutoff_at
      FROM wanted w ORDER BY w.departure_id, w.service_date
      ON CONFLICT (departure_id, service_date) DO NOTHING
      RETURNING id, departure_id, service_date)
    SELECT id::text, departure_id::text || ':' || service_date::text AS key FROM made
    UNION ALL
    SELECT t.id::text, t.departure_id::text || ':' || t.service_date::text FROM trips t
    JOIN wanted w ON w.departure_id = t.departure_id AND w.service_date = t.service_date`,
  );
  for (const row of rows) known.set(row.key, row.id);
  for (const [key, p] of wanted) if (!known.has(key)) known.set(key, await ensureTrip(tx, p));

  return known;
}
