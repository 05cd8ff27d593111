import type { Db } from '../../db/client';
import type { ExceptionType } from '../../db/generated/enums';
import { siteFilter, type SiteScope } from '../../domain/users/site-scope';

// Open exceptions for the workspace boards. The exception queue with SLA clocks belongs to the
// exceptions work; these lists only show what is open, by type, at the user's sites.

const ACTIVE = ['OPEN', 'ACKNOWLEDGED', 'WAITING'] as const;
const LIMIT = 100;

/** Open exceptions of these types at the user's sites, the oldest first (they waited longest). */
export async function openExceptions(db: Db, scope: SiteScope, types: ExceptionType[]) {
  return db.exception.findMany({
    where: { ...siteFilter(scope), type: { in: types }, status: { in: [...ACTIVE] } },
    orderBy: [{ openedAt: 'asc' }, { id: 'asc' }],
    take: LIMIT,
    select: {
      id: true,
      type: true,
      status: true,
      severity: true,
      ownerTeam: true,
      title: true,
      openedAt: true,
      site: { select: { code: true, timeZone: true } },
      shipment: { select: { ref: true } },
    },
  });
}

export type OpenException = Awaited<ReturnType<typeof openExceptions>>[number];
