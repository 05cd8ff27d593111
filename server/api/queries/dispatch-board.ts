import type { Db } from '../../db/client';
import type { Prisma } from '../../db/generated/client';
import { localDate, scopedSites, type BoardSite } from '../../domain/shipments/board';
import type { SiteScope } from '../../domain/users/site-scope';
import { decimal, sum } from '../../lib/money';
import { openExceptions } from './exception-reads';

// The dispatcher's board: today's and tomorrow's trips at their sites (a shipment staged after
// today's cut-off is planned on tomorrow's run), each with its bookings and the load against
// the vehicle's capacity, and the open exceptions dispatch owns.

const TRIP_LIMIT = 200;

const TRIP_SELECT = {
  id: true,
  serviceDate: true,
  departsAt: true,
  cutoffAt: true,
  status: true,
  departure: {
    select: {
      route: {
        select: { code: true, name: true, site: { select: { code: true, timeZone: true } } },
      },
    },
  },
  vehicle: { select: { code: true, kind: true, maxWeightKg: true, maxVolumeM3: true } },
  bookings: {
    where: { status: { in: ['BOOKED', 'LOADED'] } },
    orderBy: { slotStart: 'asc' },
    select: {
      id: true,
      status: true,
      slotStart: true,
      slotEnd: true,
      weightKg: true,
      volumeM3: true,
      dockDoor: { select: { code: true } },
      vehicle: { select: { code: true, kind: true, maxWeightKg: true, maxVolumeM3: true } },
      shipment: { select: { ref: true, customer: { select: { name: true } } } },
    },
  },
} satisfies Prisma.TripSelect;

type TripRow = Prisma.TripGetPayload<{ select: typeof TRIP_SELECT }>;

function tripsWhere(sites: BoardSite[], now: Date): Prisma.TripWhereInput {
  return {
    status: { not: 'CANCELLED' },
    OR: sites.map((s) => ({
      departure: { route: { siteId: s.id } },
      serviceDate: {
        in: [0, 1].map((days) => new Date(`${localDate(now, s.timeZone, days)}T00:00:00Z`)),
      },
    })),
  };
}

/** Weight and volume booked on the trip against the vehicle it runs with. */
function withLoad(trip: TripRow) {
  const vehicle = trip.vehicle ?? trip.bookings[0]?.vehicle ?? null;

  return {
    ...trip,
    vehicle,
    load: {
      weightKg: sum(trip.bookings.map((b) => b.weightKg)),
      volumeM3: sum(trip.bookings.map((b) => b.volumeM3)),
      maxWeightKg: vehicle ? decimal(vehicle.maxWeightKg) : null,
      maxVolumeM3: vehicle ? decimal(vehicle.maxVolumeM3) : null,
    },
  };
}

export async function dispatchBoard(db: Db, scope: SiteScope, now = new Date()) {
  const sites = await scopedSites(db, scope);
  const [trips, exceptions] = await Promise.all([
    db.trip.findMany({
      where: tripsWhere(sites, now),
      orderBy: [{ departsAt: 'asc' }, { id: 'asc' }],
      take: TRIP_LIMIT,
      select: TRIP_SELECT,
    }),
    openExceptions(db, scope, ['CAPACITY', 'ROUTE_INELIGIBLE']),
  ]);

  return { trips: trips.map(withLoad), exceptions, asOf: now };
}
