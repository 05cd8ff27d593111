import type { Tx } from '../../db/client';
import type { TripStatus } from '../../db/generated/enums';
import { nextDeparture, type DepartureRule, type PlannedDeparture } from './departures';

// The trips a ready shipment may be booked on: the run of the departure the gate planned it
// for, then the next runs of the same departure, created on first use. They are returned locked
// (FOR UPDATE) so that the capacity read from them cannot be sold twice before this commits.

export interface CandidateTripRow {
  id: string;
  departureId: string;
  serviceDate: Date;
  departsAt: Date;
  cutoffAt: Date;
  vehicleId: string | null;
  status: TripStatus;
}

export interface CandidateTrips {
  routeId: string | null;
  routeCode: string | null;
  trips: CandidateTripRow[];
}

/** A trip that has left or was called off takes no more bookings. */
const BOOKABLE: readonly TripStatus[] = ['PLANNED', 'LOADING'];

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

/** The `count` runs of `rule` after the one whose cut-off is `after`. */
async function nextRuns(
  tx: Tx,
  rule: DepartureRule,
  timeZone: string,
  after: Date,
  count: number,
): Promise<string[]> {
  const ids: string[] = [];
  let anchor = after;
  for (let i = 0; i < count; i += 1) {
    const next = nextDeparture([rule], timeZone, new Date(anchor.getTime() + 1));
    if (!next) break;
    ids.push(await ensureTrip(tx, next));
    anchor = next.cutoffAt;
  }

  return ids;
}

interface TripRaw {
  id: string;
  departure_id: string;
  service_date: Date;
  departs_at: Date;
  cutoff_at: Date;
  vehicle_id: string | null;
  status: TripStatus;
}

/**
 * Locks in id order, so that jobs locking overlapping sets of trips cannot deadlock. NO KEY
 * UPDATE excludes every other slotting job as FOR UPDATE would, but not a shipment being pointed
 * at the trip meanwhile: that foreign-key check takes KEY SHARE, which FOR UPDATE would block.
 */
async function lockTrips(tx: Tx, ids: string[]): Promise<CandidateTripRow[]> {
  const rows = await tx.$queryRaw<TripRaw[]>`
    SELECT id, departure_id, service_date, departs_at, cutoff_at, vehicle_id, status::text AS status
    FROM trips WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR NO KEY UPDATE`;

  return rows.map((r) => ({
    id: r.id,
    departureId: r.departure_id,
    serviceDate: r.service_date,
    departsAt: r.departs_at,
    cutoffAt: r.cutoff_at,
    vehicleId: r.vehicle_id,
    status: r.status,
  }));
}

/**
 * The planned trip and the runs after it, `tripsAhead` in all, locked and in departure order;
 * trips that can take no booking are left out. Empty when nothing was planned.
 */
export async function lockCandidateTrips(
  tx: Tx,
  plannedTripId: string | null,
  timeZone: string,
  tripsAhead: number,
): Promise<CandidateTrips> {
  const planned = plannedTripId
    ? await tx.trip.findUnique({
        where: { id: plannedTripId },
        include: { departure: { include: { route: { select: { id: true, code: true } } } } },
      })
    : null;
  if (!planned) return { routeId: null, routeCode: null, trips: [] };

  const later = await nextRuns(tx, planned.departure, timeZone, planned.cutoffAt, tripsAhead - 1);
  const locked = await lockTrips(tx, [planned.id, ...later]);
  const trips = locked
    .filter((t) => BOOKABLE.includes(t.status))
    .sort((a, b) => a.departsAt.getTime() - b.departsAt.getTime());

  return { routeId: planned.departure.route.id, routeCode: planned.departure.route.code, trips };
}
