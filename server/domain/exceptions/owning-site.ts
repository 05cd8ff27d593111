import type { Tx } from '../../db/client';

// The site an exception belongs to, whose calendar times it and whose team owns it. Most come
// with one. One without (an orphan event, a failed job) belongs to the site of what it is about:
// the failed job's shipment, the event's own site code, else the site of the partner key that
// sent the event (the first by code when a key serves several), else the configured default
// site (setting `exceptions.defaultSiteCode`, a site code), else none: then no clock runs.

export const DEFAULT_SITE_SETTING = 'exceptions.defaultSiteCode';

export interface SiteHints {
  siteId: string | null;
  shipmentId?: string | null;
  eventId?: string | null;
}

export async function owningSiteId(tx: Tx, hints: SiteHints): Promise<string | null> {
  if (hints.siteId) return hints.siteId;
  if (hints.shipmentId) {
    const shipment = await tx.shipment.findUnique({
      where: { id: hints.shipmentId },
      select: { siteId: true },
    });
    if (shipment) return shipment.siteId;
  }
  const fromEvent = hints.eventId ? await siteOfEvent(tx, hints.eventId) : null;

  return fromEvent ?? (await defaultSiteId(tx));
}

async function siteOfEvent(tx: Tx, eventId: string): Promise<string | null> {
  const event = await tx.shipmentEvent.findUnique({
    where: { id: eventId },
    select: { payload: true, partnerId: true },
  });
  if (!event) return null;
  const code = (event.payload as { site?: unknown } | null)?.site;
  if (typeof code === 'string') {
    const site = await tx.site.findUnique({ where: { code }, select: { id: true } });
    if (site) return site.id;
  }
  if (!event.partnerId) return null;
  const keySite = await tx.site.findFirst({
    where: { apiKeySites: { some: { apiKey: { partnerId: event.partnerId } } } },
    orderBy: { code: 'asc' },
    select: { id: true },
  });

  return keySite?.id ?? null;
}

async function defaultSiteId(tx: Tx): Promise<string | null> {
  const setting = await tx.setting.findUnique({ where: { key: DEFAULT_SITE_SETTING } });
  if (typeof setting?.value !== 'string') return null;
  const site = await tx.site.findUnique({ where: { code: setting.value }, select: { id: true } });

  return site?.id ?? null;
}
