import { randomUUID } from 'node:crypto';
import type { FuelWeeks } from './history-rating';
import type { TripBook } from './history-trips';
import type { SimEvent, SimException, SimShipment } from './history-types';
import type { Rng } from './rng';
import type { MasterData } from './types';

// What every step of the simulation shares.

export interface SimContext {
  rng: Rng;
  now: number;
  master: MasterData;
  trips: TripBook;
  fuelWeeks: FuelWeeks;
  /** Counters for human-readable numbers (invoice numbers). */
  seq: { invoice: number };
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function addEvent(
  s: SimShipment,
  type: SimEvent['type'],
  at: number,
  data: Record<string, unknown> = {},
): SimEvent {
  const event = { id: randomUUID(), type, at, data };
  s.events.push(event);

  return event;
}

export function newException(spec: Omit<SimException, 'id' | 'dedupeKey'>): SimException {
  const subject = spec.shipmentId
    ? `shipment:${spec.shipmentId}`
    : `event:${spec.eventId ?? 'none'}`;

  return { id: randomUUID(), dedupeKey: `${subject}:${spec.type}`, ...spec };
}

/** A random member of the site's team that owns `exception`, e.g. to acknowledge it. */
export function memberOf(ctx: SimContext, exception: SimException): string | undefined {
  const members = exception.site.teams[exception.ownerTeam].memberIds;

  return members.length > 0 ? ctx.rng.pick(members) : undefined;
}
