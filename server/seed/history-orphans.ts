import { randomUUID } from 'node:crypto';
import { newException, type SimContext } from './history-context';
import type { SimEvent, SimException } from './history-types';
import type { SiteInfo } from './types';

// Now and then the WMS reports on a shipment we never heard of (a typo, another system's
// reference). Intake keeps such an event as ORPHANED and raises an exception for the admins.

const ORPHANS_PER_SITE_DAY = 0.25;

export interface SimOrphan {
  site: SiteInfo;
  shipmentRef: string;
  event: SimEvent;
  exception: SimException;
}

function orphanEvent(
  type: 'PICK_COMPLETED' | 'LOADED' | 'DELIVERED',
  at: number,
  vehicle: string,
): SimEvent {
  const data: Record<string, Record<string, unknown>> = {
    PICK_COMPLETED: { lines: [{ lineNo: 1, quantity: '1', uom: 'EA' }] },
    LOADED: { vehicle },
    DELIVERED: {},
  };

  return { id: randomUUID(), type, at, data: data[type] ?? {} };
}

export function simulateOrphans(ctx: SimContext): SimOrphan[] {
  const { rng, now } = ctx;
  const from = ctx.master.historyStart.getTime();
  const orphans: SimOrphan[] = [];
  for (const site of ctx.master.sites) {
    for (const day of site.calendar.days) {
      const window = day.windows[0];
      if (!window || !rng.chance(ORPHANS_PER_SITE_DAY)) continue;
      const at = Math.round(window[0] + rng.next() * (window[1] - window[0]));
      if (at < from || at > now) continue;
      const shipmentRef = `SH-${rng.int(900_000, 999_999)}`;
      const event = orphanEvent(
        rng.pick(['PICK_COMPLETED', 'LOADED', 'DELIVERED'] as const),
        at,
        rng.pick(site.vehicles).code,
      );
      const resolvedAt = site.calendar.addOpenMinutes(at, rng.skewed(30, 1_440));
      const exception = newException({
        type: 'ORPHAN_EVENT',
        severity: 'LOW',
        ownerTeam: 'ADMIN',
        site,
        eventId: event.id,
        title: `${event.type} for unknown shipment ${shipmentRef}`,
        detail: { shipmentRef, eventType: event.type },
        openedAt: at,
        ...(resolvedAt <= now
          ? {
              resolvedAt,
              resolutionCode: 'DISCARDED',
              resolutionNote: 'Reference unknown to the ERP; discarded',
            }
          : {}),
      });
      orphans.push({ site, shipmentRef, event, exception });
    }
  }

  return orphans;
}
