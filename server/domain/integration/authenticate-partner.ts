import type { Db } from '../../db/client';
import type { EventType } from '../../db/generated/enums';
import { AppError } from '../../lib/errors';
import { hashApiKey, parseApiKey } from './api-keys';

// Resolves `Authorization: Bearer <key>` to a partner and the key's scopes. Unknown, revoked and
// expired keys are all answered the same way (401), so that a caller learns nothing from it.

export interface PartnerPrincipal {
  partnerId: string;
  partnerCode: string;
  keyId: string;
  keyPrefix: string;
  siteIds: Set<string>;
  siteCodes: Set<string>;
  eventTypes: Set<EventType>;
  canSendEvents: boolean;
  canRead: boolean;
  canSendEdi: boolean;
  canSendEpcis: boolean;
}

export type Permission = 'events' | 'read' | 'edi' | 'epcis';

export async function authenticatePartner(db: Db, authorization: string | null): Promise<PartnerPrincipal> {
  const key = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!key) throw new AppError('UNAUTHORIZED', 'missing API key: send Authorization: Bearer <key>');
  if (!parseApiKey(key)) throw new AppError('UNAUTHORIZED', 'unknown API key');
  const row = await db.apiKey.findUnique({
    where: { secretHash: hashApiKey(key) },
    include: { partner: true, sites: { include: { site: { select: { code: true } } } } },
  });
  const now = new Date();
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now) || !row.partner.active) {
    throw new AppError('UNAUTHORIZED', 'unknown API key');
  }
  // Best effort, at most once a minute per key: a hot key must not serialise on its own row.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    void db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } }).catch(() => undefined);
  }

  return {
    partnerId: row.partnerId,
    partnerCode: row.partner.code,
    keyId: row.id,
    keyPrefix: row.prefix,
    siteIds: new Set(row.sites.map((s) => s.siteId)),
    siteCodes: new Set(row.sites.map((s) => s.site.code)),
    eventTypes: new Set(row.eventTypes),
    canSendEvents: row.canSendEvents,
    canRead: row.canRead,
    canSendEdi: row.canSendEdi,
    canSendEpcis: row.canSendEpcis,
  };
}

const FLAG: Record<Permission, keyof PartnerPrincipal> = {
  events: 'canSendEvents',
  read: 'canRead',
  edi: 'canSendEdi',
  epcis: 'canSendEpcis',
};

export function requirePermission(principal: PartnerPrincipal, permission: Permission): void {
  if (!principal[FLAG[permission]]) {
    throw new AppError('FORBIDDEN', `this API key may not use ${permission}`);
  }
}
