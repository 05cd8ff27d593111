import { z } from 'zod';
import type { Db } from '../../db/client';
import type { Prisma } from '../../db/generated/client';
import type { ShipmentStatus } from '../../db/generated/enums';
import { localDateIn } from '../../lib/business-time';
import { zonedInstant } from '../dispatch/departures';
import type { SiteScope } from '../users/site-scope';

// The reads behind the live boards. "Today" is the site's own calendar day: a board that spans
// sites in several time zones starts each site's day at its own local midnight.

/** Still on the floor: released and in progress, staged, through the gate, slotted, not loaded. */
export const FLOOR_STATUSES = [
  'RELEASED',
  'PICKED',
  'STAGED',
  'READY',
  'HELD',
  'SLOTTED',
] as const satisfies readonly ShipmentStatus[];
export type FloorStatus = (typeof FLOOR_STATUSES)[number];

export const FLOOR_PAGE_SIZE = 50;

export const floorBoardInput = z.object({
  status: z.enum(FLOOR_STATUSES).optional(),
  page: z.number().int().min(0).max(10_000).default(0),
});
export type FloorBoardInput = z.input<typeof floorBoardInput>;

export interface BoardSite {
  id: string;
  code: string;
  name: string;
  timeZone: string;
}

/** The sites a user works at, with their time zones; every active site for allSites. */
export async function scopedSites(db: Db, scope: SiteScope): Promise<BoardSite[]> {
  return db.site.findMany({
    where: scope.allSites ? { active: true } : { id: { in: scope.siteIds } },
    orderBy: { code: 'asc' },
    select: { id: true, code: true, name: true, timeZone: true },
  });
}

/** The local calendar date `days` after the one `now` falls on in `timeZone`, YYYY-MM-DD. */
export function localDate(now: Date, timeZone: string, days = 0): string {
  const [year, month, day] = localDateIn(timeZone, now).split('-').map(Number) as number[];

  return new Date(Date.UTC(year!, month! - 1, day! + days)).toISOString().slice(0, 10);
}

/** The instant of local midnight starting the day `now` falls on in `timeZone`. */
export function startOfLocalDay(now: Date, timeZone: string): Date {
  const [year, month, day] = localDateIn(timeZone, now).split('-').map(Number) as number[];

  return zonedInstant({ year: year!, month: month!, day: day! }, 0, timeZone);
}

function floorToday(sites: BoardSite[], now: Date): Prisma.ShipmentWhereInput {
  // An empty OR matches nothing: a user without sites sees an empty board.
  return {
    status: { in: [...FLOOR_STATUSES] },
    OR: sites.map((s) => ({ siteId: s.id, updatedAt: { gte: startOfLocalDay(now, s.timeZone) } })),
  };
}

const FLOOR_ROW = {
  id: true,
  ref: true,
  status: true,
  readiness: true,
  packedStagedAt: true,
  updatedAt: true,
  site: { select: { code: true, timeZone: true } },
  customer: { select: { name: true } },
  order: { select: { ref: true } },
  holds: {
    where: { releasedAt: null },
    orderBy: { placedAt: 'asc' },
    select: { id: true, reason: true, detail: true },
  },
} satisfies Prisma.ShipmentSelect;

export type FloorRow = Prisma.ShipmentGetPayload<{ select: typeof FLOOR_ROW }>;

async function floorCounts(db: Db, where: Prisma.ShipmentWhereInput) {
  const rows = await db.shipment.groupBy({ by: ['status'], where, _count: { _all: true } });
  const counts = Object.fromEntries(FLOOR_STATUSES.map((s) => [s, 0])) as Record<
    FloorStatus,
    number
  >;
  for (const row of rows) counts[row.status as FloorStatus] = row._count._all;

  return counts;
}

/**
 * The warehouse supervisor's floor today: shipments at their sites still on the floor that
 * changed since local midnight, latest activity first, one page at a time, with a count per
 * status over the whole board (not only the page).
 */
export async function floorBoard(
  db: Db,
  scope: SiteScope,
  input: z.output<typeof floorBoardInput>,
  now = new Date(),
) {
  const sites = await scopedSites(db, scope);
  const today = floorToday(sites, now);
  const where = input.status ? { ...today, status: input.status } : today;
  const [rows, counts] = await Promise.all([
    db.shipment.findMany({
      where,
      orderBy: [{ updatedAt: 'desc' }, { id: 'asc' }],
      skip: input.page * FLOOR_PAGE_SIZE,
      take: FLOOR_PAGE_SIZE,
      select: FLOOR_ROW,
    }),
    floorCounts(db, today),
  ]);
  const total = input.status
    ? counts[input.status]
    : Object.values(counts).reduce((a, b) => a + b, 0);

  return { rows, counts, total, page: input.page, pageSize: FLOOR_PAGE_SIZE, sites, asOf: now };
}
