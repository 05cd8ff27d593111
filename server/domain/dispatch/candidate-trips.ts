import type { Tx } from '../../db/client';
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
