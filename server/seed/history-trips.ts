import { randomUUID } from 'node:crypto';
import { zonedInstant } from '../domain/dispatch/departures';
import type { SimTrip } from './history-types';
import type { Rng } from './rng';
import type { MasterData, RouteInfo, SiteInfo, VehicleInfo } from './types';

// Trips are the dated runs of route departures, computed in the site's time zone. They run on
// every weekday their departure lists, holidays included, as the dispatch rules plan them; a
// past run that nobody was booked on is recorded as cancelled.

const MINUTE = 60_000;

function dateParts(date: string) {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];

  return { year, month, day };
}

function tripsOfRoute(site: SiteInfo, route: RouteInfo, fromMs: number, toMs: number): SimTrip[] {
  const trips: SimTrip[] = [];
  for (const day of site.calendar.days) {
    for (const departure of route.departures) {
      if (!departure.weekdays.includes(day.weekday)) continue;
      const departsAt = zonedInstant(
        dateParts(day.date),
        departure.departMinute,
        site.timeZone,
      ).getTime();
      if (departsAt < fromMs || departsAt > toMs) continue;
      const cutoff = zonedInstant(
        dateParts(day.date),
        departure.cutoffMinute,
        site.timeZone,
      ).getTime();
      trips.push({
        id: randomUUID(),
        departure,
        route,
        site,
        serviceDate: day.date,
        departsAt,
        // A cut-off in the spring-forward gap moves forward and could pass the departure.
        cutoffAt: Math.min(cutoff, departsAt),
        booked: [],
        status: 'PLANNED',
      });
    }
  }

  return trips.sort((a, b) => a.cutoffAt - b.cutoffAt || a.departsAt - b.departsAt);
}

export class TripBook {
  readonly all: SimTrip[] = [];
  private readonly byRoute = new Map<string, SimTrip[]>();

  constructor(master: MasterData, fromMs: number, toMs: number) {
    for (const site of master.sites) {
      for (const route of site.routes) {
        const trips = tripsOfRoute(site, route, fromMs, toMs);
        this.byRoute.set(route.id, trips);
        this.all.push(...trips);
      }
    }
  }

  /** The route's first run whose cut-off `readyAt` makes: a missed cut-off takes the next. */
  next(route: RouteInfo, readyAt: number): SimTrip | undefined {
    const trips = this.byRoute.get(route.id) ?? [];
    let lo = 0;
    let hi = trips.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((trips[mid] as SimTrip).cutoffAt < readyAt) lo = mid + 1;
      else hi = mid;
    }

    return trips[lo];
  }
}

function loadOf(trip: SimTrip) {
  const classes = new Set<string>();
  let weight = 0;
  let volume = 0;
  for (const s of trip.booked) {
    weight += s.weightKg;
    volume += s.volumeM3;
    for (const line of s.lines) if (line.sku.hazardClass) classes.add(line.sku.hazardClass);
  }

  return { weight, volume, classes: [...classes] };
}

/**
 * The smallest vehicle certified for the load's hazard classes that carries it, free in this
 * wave if possible (a busy one runs a second loop rather than leave overloaded); failing
 * that, the largest certified one.
 */
function chooseVehicle(
  trip: SimTrip,
  vehicles: VehicleInfo[],
  used: Set<string>,
): VehicleInfo | undefined {
  const load = loadOf(trip);
  const eligible = vehicles
    .filter((v) => load.classes.every((c) => v.dgClasses.includes(c)))
    .sort((a, b) => a.maxWeightKg - b.maxWeightKg);
  const fits = (v: VehicleInfo) => v.maxWeightKg >= load.weight && v.maxVolumeM3 >= load.volume;

  return (
    eligible.find((v) => !used.has(v.id) && fits(v)) ??
    eligible.find(fits) ??
    eligible[eligible.length - 1]
  );
}

function departureDelay(rng: Rng): number {
  const r = rng.next();
  if (r < 0.8) return rng.int(0, 10) * MINUTE;
  if (r < 0.95) return rng.int(10, 40) * MINUTE;

  return rng.int(40, 120) * MINUTE;
}

/**
 * Loading slots share the window from cut-off to ten minutes before departure, in booking
 * order, one after another on the trip's door; none starts before its booking was made.
 */
function slotBookings(trip: SimTrip, rng: Rng): void {
  const window = trip.departsAt - 10 * MINUTE - trip.cutoffAt;
  const n = Math.max(1, trip.booked.length);
  const length = Math.max(MINUTE, Math.floor(window / n / MINUTE) * MINUTE);
  trip.booked.sort((a, b) => (a.booking?.bookedAt ?? 0) - (b.booking?.bookedAt ?? 0));
  let free = trip.cutoffAt;
  for (const s of trip.booked) {
    const booking = s.booking;
    if (!booking) continue;
    booking.slotStart = Math.max(free, booking.bookedAt + MINUTE);
    booking.slotEnd = booking.slotStart + length;
    // Loading ends before the truck leaves, however late the slot fell.
    booking.loadedAt = Math.min(
      booking.slotStart + Math.round(length * rng.float(0.3, 0.9)),
      trip.departsAt - MINUTE,
    );
    free = booking.slotEnd;
  }
}

function settleTrip(trip: SimTrip, now: number, rng: Rng): void {
  const departedAt = trip.departsAt + departureDelay(rng);
  if (trip.booked.length === 0) {
    trip.status = trip.departsAt < now ? 'CANCELLED' : 'PLANNED';

    return;
  }
  if (departedAt <= now) {
    trip.status = 'DEPARTED';
    trip.departedAt = departedAt;
  } else {
    trip.status = now >= trip.cutoffAt ? 'LOADING' : 'PLANNED';
  }
  slotBookings(trip, rng);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k) ?? [];
    group.push(item);
    groups.set(k, group);
  }

  return [...groups.values()];
}

/**
 * Vehicles per departure wave (a site's trips within two hours of each other), heaviest load
 * first, each vehicle once a wave where the fleet allows. As in dispatch, the first booking
 * picks a trip's vehicle, so a trip nobody booked has none.
 */
function assignVehicles(trips: SimTrip[]): void {
  const waves = groupBy(
    trips,
    (t) => `${t.site.id}:${t.serviceDate}:${Math.floor(t.departure.departMinute / 120)}`,
  );
  for (const wave of waves) {
    const used = new Set<string>();
    wave.sort((a, b) => loadOf(b).weight - loadOf(a).weight);
    for (const trip of wave) {
      trip.vehicle = chooseVehicle(trip, trip.site.vehicles, used);
      if (trip.vehicle) used.add(trip.vehicle.id);
    }
  }
}

/** A door per trip, free from the trip's cut-off to its departure, rotating over the doors. */
function assignDocks(trips: SimTrip[], rng: Rng): void {
  for (const day of groupBy(trips, (t) => `${t.site.id}:${t.serviceDate}`)) {
    const docks = day[0]?.site.docks ?? [];
    const busyUntil = new Map<string, number>();
    let next = rng.int(0, docks.length - 1);
    for (const trip of day.sort((a, b) => a.cutoffAt - b.cutoffAt)) {
      const order = docks.map(
        (_, i) => docks[(next + i) % docks.length] as { id: string; code: string },
      );
      const free = order.find((d) => (busyUntil.get(d.id) ?? 0) <= trip.cutoffAt);
      const dock =
        free ??
        order.reduce((a, b) => ((busyUntil.get(a.id) ?? 0) <= (busyUntil.get(b.id) ?? 0) ? a : b));
      trip.dock = dock;
      busyUntil.set(dock.id, trip.departsAt);
      next = (docks.indexOf(dock) + 1) % docks.length;
    }
  }
}

/**
 * Once every shipment is booked: whether each trip has left by `now` (a past trip nobody was
 * booked on was cancelled), loading slots, and a vehicle and a dock door for each booked trip.
 */
export function settleTrips(book: TripBook, now: number, rng: Rng): void {
  for (const trip of book.all) settleTrip(trip, now, rng);
  const booked = book.all.filter((t) => t.booked.length > 0);
  assignVehicles(booked);
  assignDocks(booked, rng);
}
